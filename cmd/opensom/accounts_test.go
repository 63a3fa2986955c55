package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// TestAccountsJSON: `opensom accounts --json` prints every demo account
// with the pupils it may read, as the access rules decide.
func TestAccountsJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"accounts", "--json", "--db", ":memory:"}, &out, &errOut)
	if err != nil {
		t.Fatalf("accounts: %v\n%s", err, errOut.String())
	}
	var list []struct {
		TenantUUID  string  `json:"tenant_uuid"`
		School      string  `json:"school"`
		Username    string  `json:"username"`
		Password    *string `json:"password"`
		Role        string  `json:"role"`
		LeerlingIDs []int64 `json:"leerling_ids"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatalf("not a JSON array of accounts: %v", err)
	}
	pupilsOf := map[string]int{} // school -> pupil accounts
	roles := map[string][]int{}
	for _, a := range list {
		if a.TenantUUID == "" || a.School == "" || a.Username == "" || a.Password == nil ||
			*a.Password == "" || a.LeerlingIDs == nil {
			t.Fatalf("incomplete demo account %+v", a)
		}
		if a.Role == "leerling" {
			pupilsOf[a.School]++
			if len(a.LeerlingIDs) != 1 {
				t.Errorf("pupil %s reads %d pupils, want itself", a.Username, len(a.LeerlingIDs))
			}
		}
		roles[a.Role] = append(roles[a.Role], len(a.LeerlingIDs))
	}
	if len(roles["ouder"]) == 0 || roles["ouder"][0] != 2 {
		t.Errorf("parents read %v pupils, want the first one 2", roles["ouder"])
	}
	for _, r := range []string{"leerling", "ouder", "medewerker", "beheerder"} {
		if len(roles[r]) == 0 {
			t.Errorf("no demo account of role %s", r)
		}
	}
	first := list[0].School
	if len(roles["beheerder"]) == 0 || roles["beheerder"][0] != pupilsOf[first] {
		t.Errorf("the administrator reads %v pupils, want all %d of its school",
			roles["beheerder"], pupilsOf[first])
	}
}
