package sqlstore_test

import (
	"testing"

	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
	"github.com/opensom/opensom/internal/store/storetest"
)

// The records suite (migration 0004) on every backend.
func TestRecordsConformance(t *testing.T) {
	for _, b := range sqltest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			storetest.RunRecords(t, func(t *testing.T) school.Store {
				return sqltest.OpenDSN(t, b.DSN(t), nil)
			})
		})
	}
}

// The world writer's suite on every backend.
func TestWorldWriterConformance(t *testing.T) {
	for _, b := range sqltest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			storetest.RunWorldWriter(t, func(t *testing.T) storetest.Loader {
				return sqltest.OpenDSN(t, b.DSN(t), nil)
			})
		})
	}
}
