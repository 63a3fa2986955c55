package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
	"github.com/opensom/opensom/internal/store/storetest"
)

// The demo world comes back from Export as it was imported, on every
// backend, and an export imported into a new store exports the same:
// every column of every table survives the round trip.
func TestExportDemoRoundTrip(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 12, 10, 0, 0, 0, school.Amsterdam)
	for _, b := range sqltest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			w, err := demo.Generate(demo.Options{Seed: 7, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			s := sqltest.OpenDSN(t, b.DSN(t), nil)
			if err := s.Import(ctx, w); err != nil {
				t.Fatal(err)
			}
			got, err := s.Export(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want, err := demo.Generate(demo.Options{Seed: 7, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			sameLists(t, storetest.Normalize(got), storetest.Normalize(want))

			other := sqltest.OpenDSN(t, b.DSN(t), nil)
			if err := other.Import(ctx, got); err != nil {
				t.Fatalf("import the export: %v", err)
			}
			again, err := other.Export(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sameLists(t, storetest.Normalize(again), got)
		})
	}
}

// sameLists fails for each list of the worlds that differs, naming the
// first item that does.
func sameLists(t *testing.T, got, want *school.World) {
	t.Helper()
	g, w := reflect.ValueOf(*got), reflect.ValueOf(*want)
	for i := range g.NumField() {
		gl, wl := g.Field(i), w.Field(i)
		name := g.Type().Field(i).Name
		if gl.Len() != wl.Len() {
			t.Errorf("%s: %d items, want %d", name, gl.Len(), wl.Len())
			continue
		}
		for k := range gl.Len() {
			if !reflect.DeepEqual(gl.Index(k).Interface(), wl.Index(k).Interface()) {
				t.Errorf("%s[%d]:\n got %+v\nwant %+v", name, k, gl.Index(k).Interface(),
					wl.Index(k).Interface())
				break
			}
		}
	}
}
