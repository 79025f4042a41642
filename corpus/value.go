package corpus

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of one metadata value. The writer of documents.parquet gives a
// metadata column the kind its values agree on (see output.MetaColumns).
type Kind uint8

// Metadata kinds.
const (
	KindString    Kind = iota // text
	KindInt                   // a whole number that fits int64
	KindFloat                 // a finite decimal number
	KindBool                  // true or false
	KindDate                  // a calendar date (Time is its midnight, UTC)
	KindTimestamp             // an instant (Time in UTC, microseconds)
	KindList                  // a list of scalars, each kept as its text
	KindJSON                  // a nested object, or a list holding objects or lists: Text is its JSON
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindInt:
		return "integer"
	case KindFloat:
		return "decimal"
	case KindBool:
		return "boolean"
	case KindDate:
		return "date"
	case KindTimestamp:
		return "timestamp"
	case KindList:
		return "list"
	case KindJSON:
		return "json"
	}
	return "unknown"
}

// Value is one typed metadata value: a front-matter entry, a JSONL field, a CSV or
// spreadsheet cell, a --meta-pattern part or a document property. Kind says which of
// the fields holds it; Text is always the value as the source wrote it (for a list, the
// JSON array of its elements' texts; for KindJSON, the JSON itself), which is what a
// text column holds when a key's values disagree on their kind.
//
// How a value gets its kind is described at ParseText (values written as text) and in
// the readers (values a format types itself: YAML and JSON numbers, booleans, lists and
// objects; spreadsheet cells with a date format).
type Value struct {
	Kind  Kind
	Text  string
	Int   int64
	Float float64
	Bool  bool
	Time  time.Time // KindDate and KindTimestamp, in UTC
	List  []string  // KindList
}

// StringValue is a text value that is not typed by its form.
func StringValue(s string) Value { return Value{Kind: KindString, Text: s} }

// IntValue is a whole number.
func IntValue(n int64) Value { return Value{Kind: KindInt, Text: strconv.FormatInt(n, 10), Int: n} }

// FloatValue is a decimal number written as text.
func FloatValue(f float64, text string) Value { return Value{Kind: KindFloat, Text: text, Float: f} }

// BoolValue is a boolean.
func BoolValue(b bool) Value { return Value{Kind: KindBool, Text: strconv.FormatBool(b), Bool: b} }

// DateValue is the calendar date of t (its year, month and day as t holds them).
func DateValue(t time.Time) Value {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return Value{Kind: KindDate, Text: d.Format(time.DateOnly), Time: d}
}

// TimestampValue is the instant t, kept in UTC to the microsecond.
func TimestampValue(t time.Time, text string) Value {
	return Value{Kind: KindTimestamp, Text: text, Time: t.UTC().Truncate(time.Microsecond)}
}

// ListValue is a list of scalars, each given as its text.
func ListValue(items []string) Value {
	if items == nil {
		items = []string{}
	}
	b, _ := json.Marshal(items)
	return Value{Kind: KindList, Text: string(b), List: items}
}

// JSONValue is a nested value kept as JSON text.
func JSONValue(text string) Value { return Value{Kind: KindJSON, Text: text} }

var (
	intForm   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	floatForm = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$`)
	dateForm  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	// A date, 'T' or a space, hours and minutes, optional seconds and fraction, and an
	// optional offset: Z, +hh:mm, +hhmm or +hh.
	timestampForm = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2})(:[0-9]{2}(\.[0-9]{1,9})?)?(?: ?([Zz]|[-+][0-9]{2}(:?[0-9]{2})?))?$`)
)

// ParseText types a value written as text (a CSV or spreadsheet cell, a --meta-pattern
// part, a JSON or YAML string) by its form, after trimming surrounding spaces:
//
//   - an integer: an optional minus and digits without a leading zero ("2015", "-3",
//     "0"; not "007", which stays text like a code) that fit in 64 bits;
//   - a decimal: digits, a point and digits, and an optional exponent ("0.25",
//     "1.5E+20", "3e8");
//   - a boolean: true or false, in lower, upper or title case;
//   - a date: YYYY-MM-DD, a real calendar date ("2023-11-15");
//   - a timestamp: a date, 'T' or a space, hh:mm with optional :ss and fraction, and an
//     optional offset (Z, +hh:mm, +hhmm, +hh): "2023-11-15 14:02:00-05:00" is the instant
//     2023-11-15 19:02:00 UTC. A date-time without an offset is read as UTC, since
//     nothing says which zone it was written in;
//   - anything else is a string, as written.
//
// It returns false for an empty or all-space text, which is no value (null).
func ParseText(s string) (Value, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Value{}, false
	}
	if v, ok := typedForm(t); ok {
		v.Text = s
		return v, true
	}
	return StringValue(s), true
}

// typedForm is the kind t's form shows, if any.
func typedForm(t string) (Value, bool) {
	c := t[0]
	switch {
	case c == '-' || c >= '0' && c <= '9':
		if intForm.MatchString(t) {
			if n, err := strconv.ParseInt(t, 10, 64); err == nil {
				return IntValue(n), true
			}
			return Value{}, false
		}
		if floatForm.MatchString(t) {
			if f, err := strconv.ParseFloat(t, 64); err == nil {
				return FloatValue(f, t), true
			}
			return Value{}, false
		}
		if len(t) == 10 && dateForm.MatchString(t) {
			d, err := time.Parse(time.DateOnly, t)
			if err != nil {
				return Value{}, false
			}
			return DateValue(d), true
		}
		if ts, ok := parseTimestamp(t); ok {
			return TimestampValue(ts, t), true
		}
	case c == 't' || c == 'T' || c == 'f' || c == 'F':
		switch t {
		case "true", "True", "TRUE":
			return BoolValue(true), true
		case "false", "False", "FALSE":
			return BoolValue(false), true
		}
	}
	return Value{}, false
}

// parseTimestamp reads the timestamp form of ParseText.
func parseTimestamp(t string) (time.Time, bool) {
	m := timestampForm.FindStringSubmatch(t)
	if m == nil {
		return time.Time{}, false
	}
	layout := "2006-01-02T15:04"
	s := m[1] + "T" + m[2]
	if m[3] != "" {
		layout += ":05"
		s += m[3][:3]
		if m[4] != "" {
			layout += "." + strings.Repeat("9", len(m[4])-1)
			s += m[4]
		}
	}
	loc := time.UTC
	if z := m[5]; z != "" && z != "Z" && z != "z" {
		digits := strings.ReplaceAll(z[1:], ":", "")
		if len(digits) == 2 {
			digits += "00"
		}
		h, _ := strconv.Atoi(digits[:2])
		mi, _ := strconv.Atoi(digits[2:])
		if h > 23 || mi > 59 {
			return time.Time{}, false
		}
		off := h*3600 + mi*60
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	ts, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return ts.UTC(), true
}

// numberValue types a number the format itself wrote as a number (JSON, YAML): an
// integer when it is one and fits 64 bits, else a decimal.
func numberValue(s string) Value {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return IntValue(n)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return FloatValue(f, s)
	}
	return StringValue(s)
}
