package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// C04: wrong request shapes at the token endpoint.
func TestTokenRequestShape(t *testing.T) {
	good := passwordForm(uuidA, "tess", pwPupil)
	tests := []struct {
		name     string
		call     call
		status   int
		code     string // empty: success
		describe string // part of error_description
	}{
		{name: "get", call: call{method: http.MethodGet, form: good, inQuery: true},
			status: 405, code: "invalid_request"},
		{name: "put", call: call{method: http.MethodPut, form: good},
			status: 405, code: "invalid_request"},
		{name: "json body", call: call{body: `{"grant_type":"password"}`,
			contentType: "application/json"},
			status: 400, code: "invalid_request", describe: "application/x-www-form-urlencoded"},
		{name: "json body without content type", call: call{body: `{"grant_type":"x"}`,
			contentType: "-"},
			status: 400, code: "invalid_request", describe: "application/x-www-form-urlencoded"},
		{name: "text body", call: call{body: good.Encode(), contentType: "text/plain"},
			status: 400, code: "invalid_request", describe: "form-urlencoded"},
		{name: "form with charset", call: call{body: good.Encode(),
			contentType: "application/x-www-form-urlencoded; charset=UTF-8"}, status: 200},
		{name: "form without content type", call: call{body: good.Encode(), contentType: "-"},
			status: 200},
		{name: "query string of empty post", call: call{form: good, inQuery: true},
			status: 200},
		{name: "body too large", call: call{body: good.Encode() + "&pad=" +
			strings.Repeat("x", maxTokenBody)},
			status: 400, code: "invalid_request", describe: "too large"},
		{name: "bad form encoding", call: call{body: "grant_type=%zz"},
			status: 400, code: "invalid_request"},
		{name: "parameter twice", call: call{body: good.Encode() + "&grant_type=password"},
			status: 400, code: "invalid_request", describe: "grant_type"},
		{name: "missing grant type", call: call{form: url.Values{"client_id": {legacyClientID}}},
			status: 400, code: "invalid_request", describe: "grant_type"},
		{name: "unknown grant type", call: call{form: url.Values{
			"grant_type": {"client_credentials"}, "client_id": {legacyClientID}}},
			status: 400, code: "unsupported_grant_type"},
		{name: "authorization code without code", call: call{form: url.Values{
			"grant_type": {"authorization_code"}, "client_id": {legacyClientID}}},
			status: 400, code: "invalid_request", describe: "code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			rec := r.do(tc.call)
			if tc.code == "" {
				r.ok(rec)
				checkTokenHeaders(t, rec)
				return
			}
			e := r.refused(rec, tc.status, tc.code)
			if !strings.Contains(e.Description, tc.describe) {
				t.Errorf("description %q does not mention %q", e.Description, tc.describe)
			}
			if tc.status == 405 && rec.Header().Get("Allow") != "POST" {
				t.Errorf("Allow %q, want POST", rec.Header().Get("Allow"))
			}
			if n := len(r.store.tokens); n != 0 {
				t.Errorf("%d refresh tokens stored after a refused request", n)
			}
		})
	}
}

// C04: a GET carrying a valid refresh token consumes nothing.
func TestGetConsumesNothing(t *testing.T) {
	r := newRig(t)
	rt := r.login("tess", pwPupil).RefreshToken
	r.refused(r.do(call{method: http.MethodGet, form: refreshForm(rt, legacyClientID),
		inQuery: true}), 405, "invalid_request")
	if row, _ := r.store.token(rt); !row.RotatedAt.IsZero() {
		t.Fatal("GET rotated the refresh token")
	}
	r.ok(r.do(call{form: refreshForm(rt, legacyClientID)}))
}

// C02: client authentication.
func TestClientAuthentication(t *testing.T) {
	form := func(clientID, secret string) url.Values {
		f := passwordForm(uuidA, "tess", pwPupil)
		f.Del("client_id")
		if clientID != "" {
			f.Set("client_id", clientID)
		}
		if secret != "" {
			f.Set("client_secret", secret)
		}
		return f
	}
	tests := []struct {
		name      string
		call      call
		status    int
		code      string
		challenge bool // WWW-Authenticate: Basic expected
	}{
		{name: "unknown client in body", call: call{form: form("no-such-client", "")},
			status: 401, code: "invalid_client"},
		{name: "unknown client in basic",
			call:   call{form: form("", ""), basic: basicHeader("no-such-client", "x")},
			status: 401, code: "invalid_client", challenge: true},
		{name: "no client at all", call: call{form: form("", "")},
			status: 401, code: "invalid_client"},
		{name: "basic with wrong secret",
			call:   call{form: form("", ""), basic: basicHeader(confidentialID, "p q/r: s")},
			status: 401, code: "invalid_client", challenge: true},
		{name: "basic secret not form encoded",
			call:   call{form: form("", ""), basic: basicRaw("lab+client%3A1", confidentialSecret)},
			status: 401, code: "invalid_client", challenge: true},
		{name: "body with missing secret", call: call{form: form(confidentialID, "")},
			status: 401, code: "invalid_client"},
		{name: "body with wrong secret", call: call{form: form(confidentialID, "nope")},
			status: 401, code: "invalid_client"},
		{name: "basic not base64", call: call{form: form("", ""), basic: "Basic %%%"},
			status: 401, code: "invalid_client", challenge: true},
		{name: "basic and body disagree",
			call:   call{form: form(legacyClientID, ""), basic: basicHeader(confidentialID, "x")},
			status: 400, code: "invalid_request"},
		{name: "basic form encoded", status: 200,
			call: call{form: form("", ""), basic: basicHeader(confidentialID, confidentialSecret)}},
		{name: "basic with raw slash and colon", status: 200,
			call: call{form: form("", ""), basic: basicRaw("lab+client%3A1", "p%2Bq/r:+s")}},
		{name: "basic and body agree", status: 200,
			call: call{form: form(confidentialID, ""),
				basic: basicHeader(confidentialID, confidentialSecret)}},
		{name: "secret in body", status: 200,
			call: call{form: form(confidentialID, confidentialSecret)}},
		{name: "legacy with a secret in basic", status: 200,
			call: call{form: form("", ""), basic: basicHeader(legacyClientID, "anything")}},
		{name: "legacy with a secret in body", status: 200,
			call: call{form: form(legacyClientID, "anything")}},
		{name: "bearer header is not client auth", status: 200,
			call: call{form: form(legacyClientID, ""), basic: "Bearer abc"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			rec := r.do(tc.call)
			if tc.status == 200 {
				r.ok(rec)
				return
			}
			r.refused(rec, tc.status, tc.code)
			got := rec.Header().Get("WWW-Authenticate")
			if tc.challenge && got != `Basic realm="opensom"` {
				t.Errorf("WWW-Authenticate %q, want a Basic challenge", got)
			}
			if !tc.challenge && got != "" {
				t.Errorf("WWW-Authenticate %q, want none", got)
			}
			r.noSecretsLogged(confidentialSecret, pwPupil)
		})
	}
}

// C02: a refresh token is not consumed by a request that fails client
// authentication or comes from another client.
func TestRefreshNotConsumedByWrongClient(t *testing.T) {
	tests := []struct {
		name   string
		call   func(rt string) call
		status int
		code   string
	}{
		{name: "unknown client", status: 401, code: "invalid_client",
			call: func(rt string) call { return call{form: refreshForm(rt, "no-such-client")} }},
		{name: "another known client", status: 400, code: "invalid_grant",
			call: func(rt string) call {
				return call{form: refreshForm(rt, "somtoday-leerling-native")}
			}},
		{name: "confidential client with wrong secret", status: 401, code: "invalid_client",
			call: func(rt string) call {
				f := refreshForm(rt, "")
				f.Del("client_id")
				return call{form: f, basic: basicHeader(confidentialID, "wrong")}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			rt := r.login("tess", pwPupil).RefreshToken
			r.refused(r.do(tc.call(rt)), tc.status, tc.code)
			if row, _ := r.store.token(rt); !row.RotatedAt.IsZero() {
				t.Fatal("the refresh token was consumed")
			}
			r.ok(r.do(call{form: refreshForm(rt, legacyClientID)}))
		})
	}
}

// C06: the token answer, field by field.
func TestTokenAnswer(t *testing.T) {
	r := newRig(t)
	rec := r.do(call{form: passwordForm(uuidA, "tess", pwPupil)})
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	checkTokenHeaders(t, rec)

	order := []string{"access_token", "refresh_token", "somtoday_api_url",
		"somtoday_oop_url", "scope", "somtoday_tenant", "somtoday_organisatie_afkorting",
		"id_token", "token_type", "expires_in"}
	if got := keysInOrder(t, rec.Body.Bytes()); strings.Join(got, ",") !=
		strings.Join(order, ",") {
		t.Errorf("fields %v, want %v", got, order)
	}

	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	wantStrings := map[string]string{
		"somtoday_api_url":               publicURL,
		"somtoday_oop_url":               "http://127.0.0.1:8081",
		"scope":                          "openid",
		"somtoday_tenant":                "lindenhof",
		"somtoday_organisatie_afkorting": "LHC",
		"token_type":                     "Bearer",
	}
	for k, v := range body {
		switch k {
		case "expires_in":
			if n, ok := v.(float64); !ok || n != 3600 {
				t.Errorf("expires_in %#v, want the number 3600", v)
			}
		default:
			s, ok := v.(string)
			if !ok || s == "" {
				t.Errorf("%s %#v, want a non-empty string", k, v)
			}
			if want, ok := wantStrings[k]; ok && s != want {
				t.Errorf("%s %q, want %q", k, s, want)
			}
		}
	}

	kid := regexp.MustCompile(`^iridiumidp-[0-9]+$`)
	for _, k := range []string{"access_token", "refresh_token", "id_token"} {
		tok := body[k].(string)
		head := jwtPart(t, tok, 0)
		if head["alg"] != "RS256" || !kid.MatchString(head["kid"].(string)) {
			t.Errorf("%s header %v, want RS256 and an iridiumidp kid", k, head)
		}
		if strings.ContainsAny(tok, "=+/") {
			t.Errorf("%s is not unpadded base64url", k)
		}
		claims := jwtPart(t, tok, 1)
		for _, c := range []string{"exp", "iat"} {
			if _, ok := claims[c].(float64); !ok {
				t.Errorf("%s %s %#v, want a number", k, c, claims[c])
			}
		}
	}
	access := jwtPart(t, body["access_token"].(string), 1)
	if access["sub"] != uuidA+`\a0000000-0000-4000-8000-000000000001` ||
		access["iss"] != publicURL || access["client_id"] != legacyClientID ||
		access["scope"] != "openid" || access["jti"] == nil {
		t.Errorf("access claims %v", access)
	}
	refresh := jwtPart(t, body["refresh_token"].(string), 1)
	if refresh["client_id"] != legacyClientID || refresh["jti"] == nil {
		t.Errorf("refresh claims %v", refresh)
	}
}

// C06: no id token without openid; scopes outside opensom's are dropped.
func TestTokenAnswerScope(t *testing.T) {
	tests := []struct {
		name, asked, granted string
		idToken              bool
	}{
		{name: "none asked", asked: "", granted: "openid", idToken: true},
		{name: "openid", asked: "openid", granted: "openid", idToken: true},
		{name: "openid offline", asked: "openid offline_access",
			granted: "openid offline_access", idToken: true},
		{name: "offline only", asked: "offline_access", granted: "offline_access"},
		{name: "unknown dropped", asked: "openid profile openid", granted: "openid",
			idToken: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			f := passwordForm(uuidA, "tess", pwPupil)
			f.Set("scope", tc.asked)
			rec := r.do(call{form: f})
			ans := r.ok(rec)
			if ans.Scope != tc.granted {
				t.Errorf("scope %q, want %q", ans.Scope, tc.granted)
			}
			if (ans.IDToken != "") != tc.idToken {
				t.Errorf("id_token present %v, want %v", ans.IDToken != "", tc.idToken)
			}
			if strings.Contains(rec.Body.String(), "null") {
				t.Errorf("body has a null: %s", rec.Body)
			}
		})
	}
}

// The id token of spec 2.7 for each kind of account.
func TestIDToken(t *testing.T) {
	tests := []struct {
		name, user, pw, given, affiliation, pupils string
	}{
		{name: "pupil", user: "tess", pw: pwPupil, given: "Tess", affiliation: "student",
			pupils: `{"ll":[{"id":2000000001,"gn":"Tess","nn":"Tess","nr":"40112"}]}`},
		{name: "parent", user: "mira", pw: pwParent, given: "Mira",
			affiliation: "parent/guardian",
			pupils: `{"ll":[{"id":2000000001,"gn":"Tess","nn":"Tess","nr":"40112"},` +
				`{"id":2000000002,"gn":"Ravi","nn":"Ravi","nr":"40113"}]}`},
		{name: "staff", user: "jonas", pw: pwStaff, given: "Jonas", affiliation: "staff",
			pupils: `{"ll":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			c := jwtPart(t, r.login(tc.user, tc.pw).IDToken, 1)
			if c["given_name"] != tc.given || c["affiliation"] != tc.affiliation ||
				c["orgname"] != "Lindenhof College" || c["aud"] != legacyClientID ||
				c["iss"] != publicURL || !strings.HasPrefix(c["sub"].(string), uuidA+`\`) {
				t.Errorf("claims %v", c)
			}
			if got, ok := c["leerlingen"].(string); !ok || got != tc.pupils {
				t.Errorf("leerlingen %#v, want the string %s", c["leerlingen"], tc.pupils)
			}
		})
	}
}

// A fault of the store answers a generic server_error, its text only logged.
func TestServerErrorHidesCause(t *testing.T) {
	r := newRig(t)
	r.store.fail = errors.New("disk on fire at sector 7")
	rec := r.do(call{form: passwordForm(uuidA, "tess", pwPupil)})
	e := r.refused(rec, 500, "server_error")
	if strings.Contains(rec.Body.String(), "sector") || e.Description == "" {
		t.Errorf("body %s leaks the cause or says nothing", rec.Body)
	}
	if !strings.Contains(r.logs.String(), "sector 7") {
		t.Error("the cause was not logged")
	}
}

func TestErrorFieldOrder(t *testing.T) {
	r := newRig(t)
	rec := r.do(call{form: passwordForm(uuidA, "tess", "wrong")})
	got := keysInOrder(t, rec.Body.Bytes())
	if strings.Join(got, ",") != "error_description,error" {
		t.Errorf("error fields %v, want error_description then error", got)
	}
}

func keysInOrder(t testing.TB, body []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// jwtPart decodes part i (0 header, 1 claims) of a compact JWT.
func jwtPart(t testing.TB, tok string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("part %d: %v", i, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("part %d: %v", i, err)
	}
	return m
}
