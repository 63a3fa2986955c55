package admin

import (
	"context"
	"fmt"
	"slices"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// Account is one demo account, in the shape of `opensom accounts --json`.
type Account struct {
	TenantUUID  string      `json:"tenant_uuid"`
	School      string      `json:"school"`
	Username    string      `json:"username"`
	Password    *string     `json:"password"`
	Role        school.Role `json:"role"`
	LeerlingIDs []school.ID `json:"leerling_ids"`
}

// ListAccounts lists every account with the pupils it may read, as
// `opensom accounts --json` does.
func ListAccounts(ctx context.Context, st school.Store) ([]Account, error) {
	return listAccounts(ctx, st, 0)
}

// FirstAccounts lists the first perSchool accounts with a demo password of
// each school, as ListAccounts does: what `opensom serve` shows at start.
// Only those are resolved, so a seeded world of thousands of accounts
// starts as fast as the demo world.
func FirstAccounts(ctx context.Context, st school.Store, perSchool int) ([]Account, error) {
	return listAccounts(ctx, st, perSchool)
}

// listAccounts lists the accounts, at most perSchool with a demo password
// of each school when perSchool > 0.
//
// TODO: it loads every account even to show a few (3 to 6 s at the start
// of a server on 100,000 seeded pupils), and resolves each account it
// lists with queries of its own (`opensom accounts --json` takes one to
// two minutes for their 255,000 accounts); a store query per page of
// accounts would do.
func listAccounts(ctx context.Context, st school.Store, perSchool int) ([]Account, error) {
	accs, err := st.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	schools, err := st.Schools(ctx)
	if err != nil {
		return nil, fmt.Errorf("load schools: %w", err)
	}
	byID := map[school.ID]school.School{}
	for _, s := range schools {
		byID[s.ID] = s
	}
	out := make([]Account, 0, len(accs))
	shown := map[school.ID]int{}
	for _, a := range accs {
		if perSchool > 0 {
			if a.DemoPassword == "" || shown[a.SchoolID] == perSchool {
				continue
			}
			shown[a.SchoolID]++
		}
		s := byID[a.SchoolID]
		d := Account{TenantUUID: s.UUID, School: s.Name, Username: a.Username, Role: a.Role}
		if a.DemoPassword != "" {
			pw := a.DemoPassword
			d.Password = &pw
		}
		// The pupils an account may read are the access package's to say.
		v, err := access.Resolve(ctx, st, a.SchoolID, a.ID)
		if err != nil {
			return nil, fmt.Errorf("resolve account %s: %w", a.Username, err)
		}
		d.LeerlingIDs = slices.Clone(v.Pupils())
		if d.LeerlingIDs == nil {
			d.LeerlingIDs = []school.ID{}
		}
		out = append(out, d)
	}
	return out, nil
}
