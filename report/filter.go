package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/framealign/framealign/corpus"
)

// Filter selects documents by their columns. It is compiled from a small expression
// language (see ParseFilter), never evaluated as SQL, so a --where flag cannot do
// anything but select rows.
type Filter func(Row) bool

// FilterSyntax documents the language ParseFilter accepts, for help texts.
const FilterSyntax = `One or more conditions joined by "and":
  col = 'x'            col != 'x'          (strings in single quotes; '' is a quote)
  col in ('a','b')     col not in ('a')    (a list of strings or of numbers)
  col >= 2015          col < 0.3           (=, !=, <, <=, >, >= on numbers or strings)
  col = true           (boolean columns)
  date >= '2023-01-01' (date and timestamp columns: a date, or a date-time
                        such as '2023-11-15 14:00:00', read as UTC)
Columns are those of documents.parquet (doc_id, alignment, similarity, and the corpus
metadata such as country, year). On a list column (countries), = and in hold when any
element matches. A null value matches no condition. Keywords are case-insensitive,
column names are not.
Example: country in ('CHN','USA') and year >= 2010`

// ParseFilter compiles expr against the columns of docs. An empty expression selects
// every document. Errors name the position and what was expected.
func ParseFilter(expr string, docs *Documents) (Filter, error) {
	if strings.TrimSpace(expr) == "" {
		return func(Row) bool { return true }, nil
	}
	toks, err := lex(expr)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %w", expr, err)
	}
	p := &parser{toks: toks, docs: docs}
	var conds []Filter
	for {
		c, err := p.condition()
		if err != nil {
			return nil, fmt.Errorf("filter %q: %w", expr, err)
		}
		conds = append(conds, c)
		t := p.next()
		if t.kind == tokEOF {
			break
		}
		if !t.isWord("and") {
			return nil, fmt.Errorf("filter %q: at %d: expected \"and\" or the end, found %s", expr, t.pos, t)
		}
	}
	return func(d Row) bool {
		for _, c := range conds {
			if !c(d) {
				return false
			}
		}
		return true
	}, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokString
	tokNumber
	tokOp
	tokLParen
	tokRParen
	tokComma
)

type token struct {
	kind tokKind
	text string
	pos  int // 1-based character position, for error messages
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "the end"
	case tokString:
		return fmt.Sprintf("'%s'", t.text)
	default:
		return fmt.Sprintf("%q", t.text)
	}
}

func (t token) isWord(w string) bool { return t.kind == tokWord && strings.EqualFold(t.text, w) }

func lex(s string) ([]token, error) {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{tokLParen, "(", pos})
			i++
		case r == ')':
			toks = append(toks, token{tokRParen, ")", pos})
			i++
		case r == ',':
			toks = append(toks, token{tokComma, ",", pos})
			i++
		case r == '\'':
			var b strings.Builder
			i++
			closed := false
			for i < len(rs) {
				if rs[i] == '\'' {
					if i+1 < len(rs) && rs[i+1] == '\'' {
						b.WriteRune('\'')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteRune(rs[i])
				i++
			}
			if !closed {
				return nil, fmt.Errorf("at %d: string not closed with '", pos)
			}
			toks = append(toks, token{tokString, b.String(), pos})
		case strings.ContainsRune("=!<>", r):
			op := string(r)
			if i+1 < len(rs) && (rs[i+1] == '=' || (r == '<' && rs[i+1] == '>')) {
				op += string(rs[i+1])
			}
			if op == "!" {
				return nil, fmt.Errorf("at %d: expected != ", pos)
			}
			i += len(op)
			if op == "<>" {
				op = "!="
			}
			toks = append(toks, token{tokOp, op, pos})
		case r == '-' || r == '.' || unicode.IsDigit(r):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || rs[j] == 'e' || rs[j] == 'E') {
				j++
			}
			toks = append(toks, token{tokNumber, string(rs[i:j]), pos})
			i = j
		case r == '_' || unicode.IsLetter(r):
			j := i + 1
			for j < len(rs) && (rs[j] == '_' || unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			toks = append(toks, token{tokWord, string(rs[i:j]), pos})
			i = j
		default:
			return nil, fmt.Errorf("at %d: unexpected character %q", pos, r)
		}
	}
	return append(toks, token{tokEOF, "", len(rs) + 1}), nil
}

type parser struct {
	toks []token
	i    int
	docs *Documents
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// literal is a parsed constant: a string, a number or a boolean.
type literal struct {
	s     string
	n     float64
	b     bool
	t     time.Time // the string as a date or timestamp, for such columns
	kind  Kind      // KindString, KindFloat or KindBool
	token token
}

func (p *parser) literal() (literal, error) {
	t := p.next()
	switch {
	case t.kind == tokString:
		return literal{s: t.text, kind: KindString, token: t}, nil
	case t.kind == tokNumber:
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return literal{}, fmt.Errorf("at %d: %q is not a number", t.pos, t.text)
		}
		return literal{n: n, kind: KindFloat, token: t}, nil
	case t.isWord("true"), t.isWord("false"):
		return literal{b: t.isWord("true"), kind: KindBool, token: t}, nil
	case t.kind == tokWord:
		return literal{}, fmt.Errorf("at %d: expected a value, found %s (put strings in single quotes: '%s')", t.pos, t, t.text)
	default:
		return literal{}, fmt.Errorf("at %d: expected a value, found %s", t.pos, t)
	}
}

func (p *parser) condition() (Filter, error) {
	t := p.next()
	if t.kind != tokWord {
		return nil, fmt.Errorf("at %d: expected a column name, found %s", t.pos, t)
	}
	col := t.text
	kind, ok := p.docs.Kinds[col]
	if !ok {
		cols := append([]string(nil), p.docs.Columns...)
		sort.Strings(cols)
		return nil, fmt.Errorf("at %d: unknown column %q (columns: %s)", t.pos, col, strings.Join(cols, ", "))
	}

	op := p.next()
	negate := false
	if op.isWord("not") {
		negate = true
		op = p.next()
		if !op.isWord("in") {
			return nil, fmt.Errorf("at %d: expected \"in\" after \"not\", found %s", op.pos, op)
		}
	}
	if op.isWord("in") {
		if l := p.next(); l.kind != tokLParen {
			return nil, fmt.Errorf("at %d: expected ( after in, found %s", l.pos, l)
		}
		var lits []literal
		for {
			lit, err := p.literal()
			if err != nil {
				return nil, err
			}
			if lit, err = checkKind(col, kind, "=", lit); err != nil {
				return nil, err
			}
			lits = append(lits, lit)
			sep := p.next()
			if sep.kind == tokRParen {
				break
			}
			if sep.kind != tokComma {
				return nil, fmt.Errorf("at %d: expected , or ) in the list, found %s", sep.pos, sep)
			}
		}
		return func(d Row) bool {
			v := d.Fields[col]
			if v == nil {
				return false
			}
			for _, lit := range lits {
				if compare(v, "=", lit) {
					return !negate
				}
			}
			return negate
		}, nil
	}
	if op.kind != tokOp {
		return nil, fmt.Errorf("at %d: expected an operator (=, !=, <, <=, >, >=, in) after %s, found %s", op.pos, col, op)
	}
	lit, err := p.literal()
	if err != nil {
		return nil, err
	}
	if lit, err = checkKind(col, kind, op.text, lit); err != nil {
		return nil, err
	}
	return func(d Row) bool {
		v := d.Fields[col]
		return v != nil && compare(v, op.text, lit)
	}, nil
}

// checkKind rejects comparisons that could never be meant, such as a year against a
// string, at parse time rather than silently selecting nothing. It returns the literal
// ready for the column: a date or timestamp column's string read as a time.
func checkKind(col string, kind Kind, op string, lit literal) (literal, error) {
	want := KindString
	switch kind {
	case KindInt, KindFloat:
		want = KindFloat
	case KindBool:
		want = KindBool
	}
	if lit.kind != want {
		name := map[Kind]string{KindString: "a string in single quotes", KindFloat: "a number", KindBool: "true or false"}[want]
		if kind == KindDate || kind == KindTimestamp {
			name = "a date in single quotes ('2023-11-15')"
		}
		return lit, fmt.Errorf("at %d: column %s is %s, compare it with %s, not %s", lit.token.pos, col, kind, name, lit.token)
	}
	if (kind == KindBool || kind == KindList) && op != "=" && op != "!=" {
		return lit, fmt.Errorf("at %d: column %s is %s: only =, != and in apply", lit.token.pos, col, kind)
	}
	if kind == KindDate || kind == KindTimestamp {
		v, ok := corpus.ParseText(lit.s)
		if !ok || (v.Kind != corpus.KindDate && v.Kind != corpus.KindTimestamp) {
			return lit, fmt.Errorf("at %d: column %s is %s, compare it with a date such as '2023-11-15' or a date-time such as '2023-11-15 14:00:00', not %s", lit.token.pos, col, kind, lit.token)
		}
		lit.t = v.Time
	}
	return lit, nil
}

func compare(v any, op string, lit literal) bool {
	var c int
	switch x := v.(type) {
	case []string:
		for _, e := range x {
			if e == lit.s {
				return op == "="
			}
		}
		return op == "!="
	case string:
		c = strings.Compare(x, lit.s)
	case int64:
		c = cmpFloat(float64(x), lit.n)
	case float64:
		c = cmpFloat(x, lit.n)
	case bool:
		if x == lit.b {
			c = 0
		} else {
			c = 1
		}
	case time.Time:
		c = x.Compare(lit.t)
	}
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default:
		return c >= 0
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
