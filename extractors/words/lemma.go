package words

import "strings"

// Lemma returns the dictionary form of a word for matching and comparison: lowercased,
// plural nouns made singular ("countries" -> "country", "crises" -> "crisis"), and
// inflected verbs reduced to their base ("respects", "respected", "respecting" ->
// "respect"; "cooperating", "cooperated" -> "cooperate"; "held" -> "hold").
//
// It works without part-of-speech tags, so it is honest about inflection only:
// derivations stay apart ("cooperation" is its own lemma; cues use wildcards for
// families), and a noun in -ing is reduced like a verb ("meeting" -> "meet"), which
// is consistent on both sides of a comparison. It is deterministic and allocates at
// most one string: it runs on every token of the corpus.
func Lemma(word string) string {
	w := word
	if HasUpperOrNonASCII(w) {
		w = strings.ToLower(w)
	}
	if irregularShapes.MayHave(w) {
		if l, ok := irregular[w]; ok {
			return l
		}
	}
	n := len(w)
	if n < 4 || keepAsIsShapes.MayHave(w) && keepAsIs[w] {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ing"):
		if stem := w[:n-3]; len(stem) >= 2 && hasVowel(stem) {
			return restoreStem(stem)
		}
	case strings.HasSuffix(w, "ied"):
		if n > 4 {
			return w[:n-3] + "y"
		}
		return w[:n-1] // died, lied, tied
	case strings.HasSuffix(w, "eed"):
		if agreedLike[w] {
			return w[:n-1]
		}
		return w // need, speed, succeed: -eed is part of the stem
	case strings.HasSuffix(w, "ed"):
		if stem := w[:n-2]; len(stem) >= 2 && hasVowel(stem) {
			return restoreStem(stem)
		}
	case strings.HasSuffix(w, "ies"):
		if n > 4 {
			return w[:n-3] + "y"
		}
		return w[:n-1] // lies, ties
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zzes"), strings.HasSuffix(w, "oes"):
		return w[:n-2]
	case strings.HasSuffix(w, "s"):
		if !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") &&
			!strings.HasSuffix(w, "'s") {
			return w[:n-1]
		}
	}
	return w
}

func HasUpperOrNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}

func hasVowel(s string) bool {
	return strings.ContainsAny(s, "aeiouy")
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// restoreStem turns what is left after cutting -ing or -ed into the base form: it
// undoes consonant doubling ("stopped" -> "stop") and puts back the silent e that the
// suffix swallowed ("cooperat" -> "cooperate", "resolv" -> "resolve"), using the
// letter patterns of English spelling; the exceptions that matter in policy text are
// in the tables below.
func restoreStem(s string) string {
	if stemFixShapes.MayHave(s) {
		if l, ok := stemFix[s]; ok {
			return l
		}
	}
	n := len(s)
	last, prev := s[n-1], s[n-2]
	// Doubled final consonant: stopped, committed, planning. Not ll/ss/zz/ff, which
	// English keeps in the base (called, discussed, buzzed, staffed).
	if last == prev && !isVowel(last) && last != 'l' && last != 's' && last != 'z' && last != 'f' {
		return s[:n-1]
	}
	var prev2 byte
	if n >= 3 {
		prev2 = s[n-3]
	}
	e := false
	switch last {
	case 'v', 'z', 'u', 'c':
		// resolve, organize, continue, reduce: English words do not end in these.
		e = last != 'z' || prev != 'z'
	case 'g':
		// engage, change, challenge, merge, pledge; not belong, bring.
		e = prev == 'a' && prev2 != 'a' || prev == 'r' || prev == 'd' || prev == 'l' ||
			prev == 'n' && (prev2 == 'a' || prev2 == 'e')
	case 's':
		// cause, increase, propose, promise, sense, reverse; not discuss, focus.
		e = prev == 'a' || prev == 'o' || prev == 'n' || prev == 'r' || prev == 'p' || prev == 'l' ||
			prev == 'u' && s != "focus" || prev == 'i'
	case 't':
		switch prev {
		case 'a':
			e = prev2 != 'e' && prev2 != 'o' && prev2 != 'a' // create, but not treat, float
		case 'u':
			e = prev2 != 'o' // contribute, not scout
		case 'o':
			e = !isVowel(prev2) // promote, vote, but not root, riot
		}
	case 'd', 'k', 'b':
		// provide, include, trade, invoke, describe; not need, avoid, mark, absorb.
		e = isVowel(prev) && !isVowel(prev2) && prev2 != 0
	case 'l':
		// settle, tackle, compile, rule; not fail, reveal, control(led).
		e = !isVowel(prev) && prev != 'l' && prev != 'r' && prev != 'w' ||
			(prev == 'i' || prev == 'u' || prev == 'o') && !isVowel(prev2)
	case 'r':
		// secure, acquire, declare; not offer, consider, clear.
		e = (prev == 'u' || prev == 'i') && !isVowel(prev2) || prev == 'a' && prev2 != 'e' && prev2 != 'a' && prev2 != 'o'
	case 'm':
		// welcome, assume, name; not claim, form, seem.
		e = (prev == 'u' || prev == 'o' || prev == 'a') && !isVowel(prev2) && prev2 != 0
	case 'n':
		// combine, determine, undermine; not gain, join, open, mention.
		e = prev == 'i' && !isVowel(prev2) && prev2 != 'g'
	}
	if e {
		return s + "e"
	}
	return s
}

// The shapes of the tables' keys, which spare most words the lookups.
var (
	irregularShapes = ShapesOf(irregular)
	keepAsIsShapes  = ShapesOf(keepAsIs)
	stemFixShapes   = ShapesOf(stemFix)
)

// irregular maps inflected forms that no suffix rule reaches to their base.
var irregular = map[string]string{
	"n't": "not", "cannot": "cannot", "'re": "be", "'m": "be", "'ve": "have", "'ll": "will",
	"is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be", "am": "be",
	"has": "have", "had": "have", "having": "have", "does": "do", "did": "do", "done": "do", "doing": "do",
	"made": "make", "making": "make", "took": "take", "taken": "take", "taking": "take",
	"gave": "give", "given": "give", "giving": "give", "went": "go", "gone": "go", "goes": "go",
	"came": "come", "coming": "come", "saw": "see", "seen": "see", "said": "say", "says": "say",
	"held": "hold", "brought": "bring", "sought": "seek", "fought": "fight", "thought": "think",
	"built": "build", "led": "lead", "met": "meet", "began": "begin", "begun": "begin",
	"won": "win", "lost": "lose", "losing": "lose", "chose": "choose", "chosen": "choose",
	"grew": "grow", "grown": "grow", "spoke": "speak", "spoken": "speak", "wrote": "write",
	"written": "write", "writing": "write", "knew": "know", "known": "know", "became": "become",
	"becoming": "become", "felt": "feel", "kept": "keep", "left": "leave", "leaving": "leave",
	"meant": "mean", "stood": "stand", "understood": "understand", "undertook": "undertake",
	"undertaken": "undertake", "borne": "bear", "bore": "bear", "fell": "fall", "fallen": "fall",
	"rose": "rise", "risen": "rise", "ran": "run", "sent": "send", "spent": "spend",
	"struck": "strike", "taught": "teach", "told": "tell", "threw": "throw", "thrown": "throw",
	"forgot": "forget", "forgotten": "forget", "drove": "drive", "driven": "drive", "broke": "break",
	"broken": "break", "froze": "freeze", "frozen": "freeze", "shook": "shake", "shaken": "shake",
	"withdrew": "withdraw", "withdrawn": "withdraw", "overcame": "overcome", "laid": "lay",
	"paid": "pay", "found": "find", "got": "get", "gotten": "get", "heard": "hear", "dealt": "deal",
	"shown": "show", "fed": "feed", "fled": "flee", "sat": "sit", "wore": "wear", "worn": "wear",
	"bought": "buy", "caught": "catch", "forgave": "forgive", "forgiven": "forgive",
	"arose": "arise", "arisen": "arise", "sold": "sell", "hid": "hide", "hidden": "hide",
	"sped": "speed", "bound": "bind", "upheld": "uphold", "withheld": "withhold",
	"added": "add", "adding": "add", "dying": "die", "lying": "lie", "tying": "tie",
	"children": "child", "women": "woman", "men": "man", "people": "people", "peoples": "people",
	"crises": "crisis", "analyses": "analysis", "bases": "base", "theses": "thesis",
	"hypotheses": "hypothesis", "phenomena": "phenomenon", "criteria": "criterion",
	"lives": "life", "wives": "wife", "knives": "knife", "halves": "half", "selves": "self",
	"shelves": "shelf", "thieves": "thief", "wolves": "wolf", "feet": "foot", "teeth": "tooth",
	"mice": "mouse", "data": "data", "media": "media",
	// Controlled and its kin double an l that the base does not have.
	"controlled": "control", "controlling": "control", "compelled": "compel", "compelling": "compel",
	"expelled": "expel", "propelled": "propel", "excelled": "excel", "patrolled": "patrol",
	"annulled": "annul", "rebelled": "rebel", "labelled": "label", "travelled": "travel",
	"cancelled": "cancel", "modelled": "model", "signalled": "signal", "signalling": "signal",
	"fuelled": "fuel", "fuelling": "fuel", "channelled": "channel", "levelled": "level",
}

// keepAsIs are words whose final s or suffix-like ending belongs to the word.
var keepAsIs = map[string]bool{
	"this": true, "thus": true, "always": true, "perhaps": true, "whereas": true, "towards": true,
	"afterwards": true, "sometimes": true, "nevertheless": true, "regardless": true, "overseas": true,
	"news": true, "means": true, "arms": true, "politics": true, "economics": true, "physics": true,
	"mathematics": true, "species": true, "series": true, "headquarters": true, "chaos": true,
	"ethos": true, "gas": true, "bias": true, "atlas": true, "alias": true, "canvas": true,
	"during": true, "nothing": true, "something": true, "anything": true, "everything": true,
	"morning": true, "evening": true, "ceiling": true, "wedding": true, "pudding": true,
	"hundred": true, "sacred": true, "kindred": true, "naked": true, "wicked": true, "shed": true,
	"embed": true, "indeed": true, "yes": true, "less": true,
	"unless": true, "kudos": true, "lens": true, "various": true, "across": true, "its": true,
	"his": true, "hers": true, "ours": true, "theirs": true, "yours": true, "us": true,
	"sovereignty": true, "ping": true, "king": true, "thing": true, "string": true, "spring": true,
	"bring": true, "sing": true, "wing": true, "sting": true, "swing": true, "cling": true,
	"sibling": true, "beijing": true, "nanjing": true, "kunming": true, "sterling": true,
}

// agreedLike are -eed words whose base ends in -ee.
var agreedLike = map[string]bool{
	"agreed": true, "disagreed": true, "freed": true, "guaranteed": true, "decreed": true,
	"refereed": true,
}

// stemFix corrects the stems that the spelling patterns get wrong.
var stemFix = map[string]string{
	"unit": "unite", "reunit": "reunite", "invit": "invite", "cit": "cite", "incit": "incite",
	"excit": "excite", "ignit": "ignite", "writ": "write", "complet": "complete", "delet": "delete",
	"compet": "compete", "deplet": "deplete", "restor": "restore", "explor": "explore",
	"ignor": "ignore", "deplor": "deplore", "implor": "implore", "stor": "store", "scor": "score",
	"ador": "adore", "adher": "adhere", "interfer": "interfere", "persever": "persevere",
	"coher": "cohere", "postpon": "postpone", "zon": "zone", "phon": "phone", "clon": "clone",
	"aton": "atone", "condon": "condone", "hop": "hope", "cop": "cope", "scop": "scope",
	"shap": "shape", "escap": "escape", "infring": "infringe", "tim": "time", "prim": "prime",
	"us": "use", "abus": "abuse", "caus": "cause", "paus": "pause", "tun": "tune",
	"fram": "frame", "nam": "name", "blam": "blame", "creat": "create", "rais": "raise",
	"exercis": "exercise", "compromis": "compromise", "promis": "promise", "advis": "advise",
	"revis": "revise", "devis": "devise", "compris": "comprise", "surpris": "surprise",
	"emphasis": "emphasise", "galvaniz": "galvanize", "galvanis": "galvanise",
	"sav": "save", "hav": "have", "liv": "live", "giv": "give", "mov": "move",
	"focus": "focus", "bias": "bias", "cancel": "cancel", "fulfil": "fulfil", "fulfill": "fulfil",
	"wip": "wipe", "pip": "pipe", "swip": "swipe", "strip": "strip", "equip": "equip",
	"develop": "develop", "envelop": "envelop", "gallop": "gallop",
	"appeal": "appeal", "reveal": "reveal", "heal": "heal", "deal": "deal", "seal": "seal",
	"conceal": "conceal", "repeal": "repeal", "fuel": "fuel", "model": "model", "label": "label",
	"signal": "signal", "channel": "channel", "level": "level", "travel": "travel",
	"spoil": "spoil", "toil": "toil", "boil": "boil", "coil": "coil", "foil": "foil",
	"pool": "pool", "cool": "cool", "tool": "tool", "school": "school",
	"recall": "recall", "install": "install", "instal": "install",
	"quot": "quote", "edit": "edit", "limit": "limit", "visit": "visit", "exhibit": "exhibit",
	"benefit": "benefit", "inhabit": "inhabit", "deposit": "deposit", "credit": "credit",
	"merit": "merit", "profit": "profit", "prohibit": "prohibit", "inherit": "inherit",
	"solicit": "solicit", "elicit": "elicit", "exploit": "exploit", "audit": "audit",
	"pledg": "pledge", "acknowledg": "acknowledge", "judg": "judge", "hedg": "hedge", "bridg": "bridge",
	"budget": "budget", "target": "target", "market": "market", "interpret": "interpret",
	"combat": "combat", "threat": "threat", "defeat": "defeat", "repeat": "repeat", "treat": "treat",
	"retreat": "retreat", "seat": "seat", "heat": "heat", "eat": "eat", "beat": "beat",
	"dur": "dur", "offer": "offer", "consider": "consider", "enter": "enter", "deliver": "deliver",
	"render": "render", "answer": "answer", "register": "register", "gather": "gather",
	"foster": "foster", "bolster": "bolster", "empower": "empower", "trigger": "trigger",
	"suffer": "suffer", "steer": "steer", "engineer": "engineer", "pioneer": "pioneer",
	"volunteer": "volunteer", "monitor": "monitor", "honor": "honor", "honour": "honour",
	"labor": "labor", "labour": "labour", "favor": "favor", "favour": "favour", "mirror": "mirror",
	"anchor": "anchor", "sponsor": "sponsor", "tailor": "tailor", "mentor": "mentor",
	"author": "author", "harbor": "harbor", "harbour": "harbour", "color": "color",
	"endeavor": "endeavor", "endeavour": "endeavour", "weather": "weather", "shelter": "shelter",
	"murder": "murder", "border": "border", "order": "order", "wonder": "wonder",
	"hinder": "hinder", "surrender": "surrender", "tender": "tender", "remember": "remember",
	"number": "number", "cater": "cater", "alter": "alter", "filter": "filter",
	"cluster": "cluster", "master": "master", "minister": "minister", "administer": "administer",
	"discover": "discover", "recover": "recover", "cover": "cover", "hover": "hover",
	"lower": "lower", "power": "power", "tower": "tower", "water": "water", "matter": "matter",
	"shatter": "shatter", "scatter": "scatter", "flatter": "flatter", "utter": "utter",
	"differ": "differ", "prefer": "prefer", "refer": "refer", "confer": "confer", "transfer": "transfer",
	"defer": "defer", "infer": "infer", "deter": "deter", "occur": "occur", "incur": "incur",
	"recur": "recur", "concur": "concur",
}
