package sqlstore_test

import (
	"testing"

	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
	"github.com/opensom/opensom/internal/store/storetest"
)

// The editor suite (the admin API's writes and snapshots) on every backend.
func TestEditorConformance(t *testing.T) {
	for _, b := range sqltest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			storetest.RunEditor(t, func(t *testing.T) school.Store {
				return sqltest.OpenDSN(t, b.DSN(t), nil)
			})
		})
	}
}
