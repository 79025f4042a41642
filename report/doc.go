// Package report reads the Parquet tables that `framealign run` leaves in its output
// folder and turns them into things a person looks at: a self-contained HTML report
// (charts drawn as inline SVG, no scripts, no network at view time) and the summary
// behind `framealign inspect`. It reads documents.parquet by column name, since the
// metadata columns depend on the corpus, and the other tables through output's row
// structs. It neither analyses text nor prints: the command layer prints.
package report
