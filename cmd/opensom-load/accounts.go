package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
)

// account is a pupil login the generator can replay: one line of
// `opensom accounts --json`, cut to what it uses.
type account struct {
	TenantUUID  string      `json:"tenant_uuid"`
	Username    string      `json:"username"`
	Password    *string     `json:"password"`
	Role        school.Role `json:"role"`
	LeerlingIDs []school.ID `json:"leerling_ids"`
}

// loadAccounts reads the pupil accounts from --accounts, or builds the demo
// world of --seed and --scale in memory, which gives the same accounts as
// the server's (they depend on the seed and scale, not on the date).
func loadAccounts(o options) ([]account, error) {
	var all []account
	if o.accounts != "" {
		b, err := os.ReadFile(o.accounts)
		if err != nil {
			return nil, fmt.Errorf("read accounts: %w", err)
		}
		if err := json.Unmarshal(b, &all); err != nil {
			return nil, fmt.Errorf("read accounts %s: %w", o.accounts, err)
		}
	} else {
		var err error
		if all, err = demoAccounts(o.seed, o.scale); err != nil {
			return nil, err
		}
	}
	// Pupils only: they are most of the traffic, and a pupil's own grades
	// and lessons need no leerling parameter.
	var out []account
	for _, a := range all {
		if a.Role == school.RolePupil && a.Password != nil && len(a.LeerlingIDs) > 0 {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no pupil account with a password to log in with")
	}
	return out, nil
}

func demoAccounts(seed int64, scale int) ([]account, error) {
	w, err := demo.Generate(demo.Options{Seed: seed, Now: time.Now(), Scale: scale})
	if err != nil {
		return nil, fmt.Errorf("demo world: %w", err)
	}
	uuids := map[school.ID]string{}
	for _, s := range w.Schools {
		uuids[s.ID] = s.UUID
	}
	out := make([]account, 0, len(w.Accounts))
	for _, a := range w.Accounts {
		if a.Role != school.RolePupil {
			continue
		}
		pw := a.DemoPassword
		out = append(out, account{
			TenantUUID: uuids[a.SchoolID], Username: a.Username, Password: &pw,
			Role: a.Role, LeerlingIDs: []school.ID{a.PersonID},
		})
	}
	return out, nil
}

func (a account) pupil() string { return strconv.FormatInt(int64(a.LeerlingIDs[0]), 10) }
