package pipeline

import (
	"fmt"
	"sort"

	"github.com/framealign/framealign/extractors/annotate"
	"github.com/framealign/framealign/extractors/fastprose"
)

// DefaultEngine is the annotation engine an --engine flag selects by default.
const DefaultEngine = "fast"

// engine is one annotation engine: the name runs.engine records, and how to load it.
type engine struct {
	name string
	load func() (annotate.Annotator, error)
}

// engines are the annotation engines an --engine flag can select, by flag value.
var engines = map[string]engine{
	"fast":  {fastprose.Name, func() (annotate.Annotator, error) { return fastprose.New() }},
	"prose": {annotate.ProseName, func() (annotate.Annotator, error) { return annotate.NewProse(), nil }},
}

// EngineNames lists the values --engine takes, sorted.
func EngineNames() []string {
	names := make([]string, 0, len(engines))
	for n := range engines {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// EngineName is the name runs.engine gives the engine --engine flag selects ("" for
// the default), without loading it.
func EngineName(flag string) (string, error) {
	e, err := engineOf(flag)
	return e.name, err
}

// NewEngine loads the engine --engine flag selects ("" for the default).
func NewEngine(flag string) (annotate.Annotator, error) {
	e, err := engineOf(flag)
	if err != nil {
		return nil, err
	}
	return e.load()
}

// LazyEngine is NewEngine's engine loaded on its first Annotate, so that a run whose
// documents all come from the cache or are unchanged never loads a model.
func LazyEngine(flag string) (annotate.Annotator, error) {
	e, err := engineOf(flag)
	if err != nil {
		return nil, err
	}
	return annotate.Lazy(e.name, e.load), nil
}

func engineOf(flag string) (engine, error) {
	if flag == "" {
		flag = DefaultEngine
	}
	e, ok := engines[flag]
	if !ok {
		return e, fmt.Errorf("--engine %q: choose %v", flag, EngineNames())
	}
	return e, nil
}
