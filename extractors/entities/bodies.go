package entities

import "strings"

// notIntergovernmental are the gazetteer's bodies that are no body of states: relief
// and rights organisations, sports bodies, armed groups.
var notIntergovernmental = map[string]bool{
	"International Committee of the Red Cross": true, "Red Cross": true, "Red Crescent": true,
	"Amnesty International": true, "Human Rights Watch": true, "International Olympic Committee": true,
	"FIFA": true, "Islamic State": true, "Al-Qaida": true, "Al-Shabaab": true, "Boko Haram": true,
	"Taliban": true, "Hamas": true, "Hizbullah": true, "Wagner Group": true, "Ansar Eddine": true,
	"Al-Mourabitoun": true, "AQIM": true, "JNIM": true, "ISWAP": true,
	"Islamic State in the Greater Sahara": true, "Nusra Front": true, "M23": true,
	"Freedom House": true, "Transparency International": true, "Reporters Without Borders": true,
	"Médecins Sans Frontières": true,
}

// Bodies returns the names and aliases, as written, of the intergovernmental bodies
// of the gazetteer (organisations.csv without its relief, rights and sports bodies
// and armed groups): "United Nations", "UN", "U.N.", "WHO", "G20", "NATO", ... The cue
// matcher finds them to tell a sentence set between states from a domestic one.
func Bodies() ([]string, error) {
	rows, err := readCSV("organisations.csv", 2)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, row := range rows {
		if notIntergovernmental[row[0]] {
			continue
		}
		out = append(out, row[0])
		for _, a := range strings.Split(row[1], "|") {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
	}
	return out, nil
}
