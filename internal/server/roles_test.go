package server_test

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/school"
)

// TestEveryDemoRoleLogsIn: every demo account's role gets a token answer
// with an id token, whose affiliation says what the role is.
func TestEveryDemoRoleLogsIn(t *testing.T) {
	e, w, _ := demoEnv(t)
	want := map[school.Role]string{school.RolePupil: "student",
		school.RoleParent: "parent/guardian", school.RoleStaff: "staff", school.RoleAdmin: "staff"}
	seen := map[school.Role]bool{}
	schools := map[school.ID]string{}
	for _, s := range w.Schools {
		schools[s.ID] = s.UUID
	}
	for _, a := range w.Accounts {
		if seen[a.Role] {
			continue
		}
		seen[a.Role] = true
		t.Run(string(a.Role), func(t *testing.T) {
			code, body := e.post(t, url.Values{"grant_type": {"password"}, "scope": {"openid"},
				"username": {schools[a.SchoolID] + `\` + a.Username}, "password": {a.DemoPassword},
				"client_id": {legacyClient}})
			if code != 200 {
				t.Fatalf("login: %d %s", code, body)
			}
			var ta tokenAnswer
			if err := json.Unmarshal(body, &ta); err != nil || ta.IDToken == "" {
				t.Fatalf("no id token: %v %s", err, body)
			}
			parts := strings.Split(ta.IDToken, ".")
			payload, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil {
				t.Fatal(err)
			}
			var claims map[string]any
			_ = json.Unmarshal(payload, &claims)
			if claims["affiliation"] != want[a.Role] {
				t.Fatalf("affiliation %v, want %s", claims["affiliation"], want[a.Role])
			}
			e.getJSON(t, "/rest/v1/account/me", ta.AccessToken)
		})
	}
	for role := range want {
		if !seen[role] {
			t.Errorf("the demo world has no %s account", role)
		}
	}
}
