package admin_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// FirstAccounts is ListAccounts cut to the first accounts of each school.
func TestFirstAccounts(t *testing.T) {
	ctx := context.Background()
	w, err := demo.Generate(demo.Options{Seed: 1, Now: time.Date(2026, 11, 18, 10, 0, 0, 0,
		school.Amsterdam)})
	if err != nil {
		t.Fatal(err)
	}
	st := sqltest.Open(t, nil)
	if err := st.Import(ctx, w); err != nil {
		t.Fatal(err)
	}
	all, err := admin.ListAccounts(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var want []admin.Account
	seen := map[string]int{}
	for _, a := range all {
		if seen[a.TenantUUID] < 2 {
			seen[a.TenantUUID]++
			want = append(want, a)
		}
	}
	got, err := admin.FirstAccounts(ctx, st, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 2*len(w.Schools) || !reflect.DeepEqual(got, want) {
		t.Errorf("FirstAccounts(2):\n got %+v\nwant %+v", got, want)
	}
}
