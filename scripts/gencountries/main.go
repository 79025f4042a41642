// Command gencountries writes extractors/entities/data/countries.csv from Debian's iso-codes
// package (/usr/share/iso-codes/json/iso_3166-1.json), the maintained source of ISO
// 3166-1 names and codes. The entity resolver reads the CSV at run time; the short
// names, former states and spellings speeches use are kept by hand in
// extractors/entities/data/country_names.csv.
//
// Run from the repository root: go run ./scripts/gencountries
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type entry struct {
	Alpha3       string `json:"alpha_3"`
	Name         string `json:"name"`
	OfficialName string `json:"official_name"`
	CommonName   string `json:"common_name"`
}

func main() {
	src := flag.String("iso", "/usr/share/iso-codes/json/iso_3166-1.json", "iso-codes ISO 3166-1 JSON")
	terr := flag.String("territories", "scripts/gencountries/territories.txt", "alpha-3 codes that are not states")
	out := flag.String("out", "extractors/entities/data/countries.csv", "CSV to write")
	flag.Parse()
	if err := run(*src, *terr, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencountries:", err)
		os.Exit(1)
	}
}

func run(src, terr, out string) error {
	raw, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read iso-codes: %w", err)
	}
	var doc struct {
		Entries []entry `json:"3166-1"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("parse %s: %w", src, err)
	}
	territories, err := readCodes(terr)
	if err != nil {
		return err
	}
	sort.Slice(doc.Entries, func(i, j int) bool { return doc.Entries[i].Alpha3 < doc.Entries[j].Alpha3 })

	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"iso3", "status", "name", "official_name", "common_name"})
	for _, e := range doc.Entries {
		status := "state"
		if territories[e.Alpha3] {
			status = "territory"
		}
		_ = w.Write([]string{e.Alpha3, status, uninvert(e.Name), uninvert(e.OfficialName), e.CommonName})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return f.Close()
}

// uninvert turns ISO's sorting form "Korea, Republic of" into the running-text form
// "Republic of Korea"; names inverted otherwise ("Virgin Islands, British") are kept.
func uninvert(name string) string {
	head, tail, ok := strings.Cut(name, ", ")
	if !ok || !(strings.HasSuffix(tail, " of") || strings.HasSuffix(tail, " of the")) {
		return name
	}
	return strings.TrimPrefix(tail, "The ") + " " + head
}

func readCodes(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read territories: %w", err)
	}
	defer f.Close()
	codes := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			codes[line] = true
		}
	}
	return codes, sc.Err()
}
