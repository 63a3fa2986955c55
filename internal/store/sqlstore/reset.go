package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

// resetTables are the tables Reset empties, children before parents, so
// the deletes hold on a backend that checks foreign keys per statement.
// Every school table also cascades from schools, so a table that a later
// migration adds under a school is emptied even before it is listed here;
// one that stands alone (as token_families does) must be added.
// signing_keys, server_secrets and data_version are kept on purpose: the
// keys and secrets keep the server's identity, and the version must only
// grow, or a cache could take the new world for an old one.
var resetTables = append(append([]string{}, schoolTables...), sessionTables...)

// schoolTables hold the school data, children before parents; a snapshot
// restore empties them and keeps the sessions.
var schoolTables = []string{
	"conversation_recipients",
	"conversations",
	"ical_links",
	"homework_done",
	"homework",
	"study_guides",
	"measures",
	"observations",
	"absence_reports",
	"absence_reasons",
	"lesson_hours",
	"holidays",
	"school_switches",
	"grades",
	"lesson_staff",
	"lessons",
	"account_pupils",
	"accounts",
	"group_pupils",
	"class_groups",
	"pupils",
	"staff",
	"subjects",
	"school_years",
	"branches",
	"school_oidc_urls",
	"schools",
	// Where the world came from; an import writes it again.
	"world_source",
}

// sessionTables are the sessions and login counters of the accounts.
var sessionTables = []string{
	// Tokens and codes of the old world's accounts: without their
	// families, tokens issued before the reset stop working.
	"refresh_tokens",
	"token_families",
	"auth_codes",
	"login_attempts",
}

// Reset empties the data tables and imports w in one write transaction,
// and moves the data version, so a failed import leaves the old world.
func (s *Store) Reset(ctx context.Context, w *school.World) error {
	return s.inWrite(ctx, func(tx *sql.Tx) error {
		if err := wipe(ctx, tx); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		if err := importWorld(ctx, tx, s.d, w); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		return bumpDataVersion(ctx, tx)
	})
}

// wipe empties resetTables.
func wipe(ctx context.Context, tx *sql.Tx) error {
	for _, table := range resetTables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("empty %s: %w", table, err)
		}
	}
	return nil
}
