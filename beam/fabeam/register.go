package fabeam

import (
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	// Beam's stock shims for common DoFn signatures.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/exec/optimized"
	// Local files, and gs:// (the SDK harness links the GCS file system anyway).
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
)

// Reflection registration: a DoFn is called through reflection, which costs nothing
// here beside the analysis of a document, and rebuilds take seconds instead of the
// tens of seconds each generic register.DoFnNxM instantiation costs to compile.
func init() {
	for _, t := range []any{(*readFn)(nil), (*dedupFn)(nil), (*analyzeWriteFn)(nil), (*commitFn)(nil)} {
		beam.RegisterType(reflect.TypeOf(t).Elem())
	}
	for _, t := range []any{DocIn{}, MetaEntry{}, SideConfig{}, MetaSchema{}, MetaKey{}, TempFile{}, Match{}, MatchedFile{}} {
		beam.RegisterType(reflect.TypeOf(t))
	}
	for _, fn := range []any{matchFn, keyDoc, metaOf, mergeMeta, countOne, sum, unitKey, twice, dropReference} {
		beam.RegisterFunction(fn)
	}
}
