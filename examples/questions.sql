-- Three questions analysts ask of framealign's output, in DuckDB SQL.
--
-- Make the output first, from the repository root:
--   framealign run --out out --meta-pattern '{country}_{session}_{year}.txt' examples/corpus
-- then run every query:
--   duckdb -c ".read examples/questions.sql"
-- The tables are read with paths relative to where DuckDB runs ('out/...'); point them
-- elsewhere by replacing 'out/ in this file. Each query starts with a "-- name:" line
-- (examples/duckdbtest runs them one by one and checks their answers).

-- name: closest_to_article
-- Q1. Which speeches are closest to the reference article? Speeches are the documents
-- with a country (the reference and any file outside the name pattern have none), most
-- similar first; alignment breaks ties.
SELECT
    doc_id,
    country,
    year,
    round(similarity, 3) AS similarity,
    round(alignment, 3)  AS alignment
FROM 'out/documents.parquet'
WHERE NOT is_reference
  AND country IS NOT NULL
ORDER BY similarity DESC, alignment DESC, doc_id
LIMIT 10;

-- name: alignment_over_time
-- Q2. How did alignment move over time for a few countries? One row per country and
-- year (the mean when a country has several documents in a year), with the change since
-- that country's previous speech.
SELECT
    country,
    year,
    count(*)                      AS speeches,
    round(avg(alignment), 3)      AS alignment,
    round(avg(similarity), 3)     AS similarity,
    round(avg(alignment) - lag(avg(alignment)) OVER (PARTITION BY country ORDER BY year), 3)
                                  AS alignment_change
FROM 'out/documents.parquet'
WHERE country IN ('CHN', 'USA', 'RUS', 'GBR', 'IND', 'BRA', 'ZAF')
GROUP BY country, year
ORDER BY country, year;

-- name: actors_beside_crisis_management
-- Q3. Which countries are named beside crisis-management language? matches.actors lists
-- the countries (ISO3) named in the sentence of each match; a sentence with several
-- crisis-management cues counts once per country.
WITH named AS (
    SELECT m.doc_id, m.sentence_index, unnest(m.actors) AS iso3
    FROM 'out/matches.parquet' AS m
    JOIN 'out/documents.parquet' AS d USING (doc_id)
    WHERE m.dimension = 'crisis_management'
      AND NOT d.is_reference
)
SELECT
    iso3,
    count(DISTINCT (doc_id, sentence_index)) AS sentences,
    count(DISTINCT doc_id)                   AS speeches
FROM named
GROUP BY iso3
ORDER BY sentences DESC, iso3
LIMIT 15;
