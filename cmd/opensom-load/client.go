package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opensom/opensom/internal/school"
)

// clientID is the public client id the official apps use.
const clientID = "D50E0C06-32D1-4B41-A137-A9A850C892C2"

// client makes the four kinds of call. Each returns the status (0 when no
// answer came) and an error for a transport failure or an answer it could
// not use.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, timeout time.Duration, conns int) *client {
	return &client{
		base: strings.TrimRight(base, "/"),
		http: &http.Client{Transport: loopbackTransport(conns), Timeout: timeout,
			CheckRedirect: noRedirect},
	}
}

// tokens are the two tokens of a session.
type tokens struct {
	Access  string `json:"access_token"`
	Refresh string `json:"refresh_token"`
}

func (c *client) login(ctx context.Context, a account) (tokens, int, error) {
	form := url.Values{
		"grant_type": {"password"}, "username": {a.TenantUUID + `\` + a.Username},
		"password": {*a.Password}, "scope": {"openid"}, "client_id": {clientID},
	}
	return c.token(ctx, form)
}

func (c *client) refresh(ctx context.Context, refresh string) (tokens, int, error) {
	form := url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {clientID},
	}
	return c.token(ctx, form)
}

func (c *client) token(ctx context.Context, form url.Values) (tokens, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/oauth2/token",
		strings.NewReader(form.Encode()))
	if err != nil {
		return tokens{}, 0, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var t tokens
	status, err := c.do(req, &t)
	if err == nil && status == http.StatusOK && (t.Access == "" || t.Refresh == "") {
		err = errors.New("token answer without both tokens")
	}
	return t, status, err
}

// grades asks one page of a pupil's grades and returns the total that
// Content-Range announced, so the next call can ask the next page.
func (c *client) grades(ctx context.Context, access, pupil string, page int) (int, int, error) {
	u := c.base + "/rest/v1/resultaten/huidigVoorLeerling/" + pupil +
		"?additional=berekendRapportCijfer&additional=toetssoortnaam"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("grades request: %w", err)
	}
	req.Header.Set("Range", fmt.Sprintf("items=%d-%d", page*100, page*100+99))
	status, hdr, err := c.get(req, access)
	if err != nil || status/100 != 2 {
		return 0, status, err
	}
	return totalOf(hdr.Get("Content-Range")), status, nil
}

// week asks the lessons of the week that starts on monday.
func (c *client) week(ctx context.Context, access string, monday time.Time) (int, error) {
	q := url.Values{
		"begindatum": {monday.Format(time.DateOnly)},
		"einddatum":  {monday.AddDate(0, 0, 6).Format(time.DateOnly)},
		"additional": {"vak", "docentAfkortingen"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		c.base+"/rest/v1/afspraken?"+q.Encode(), nil)
	if err != nil {
		return 0, fmt.Errorf("week request: %w", err)
	}
	status, _, err := c.get(req, access)
	return status, err
}

func (c *client) get(req *http.Request, access string) (int, http.Header, error) {
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	// Read the whole answer: a client does, and its cost is part of the
	// latency measured.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, resp.Header, nil
}

func (c *client) do(req *http.Request, into any) (int, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	if err := json.Unmarshal(b, into); err != nil {
		return resp.StatusCode, fmt.Errorf("decode answer: %w", err)
	}
	return resp.StatusCode, nil
}

// totalOf reads the total of "items 0-99/412"; 0 when absent.
func totalOf(contentRange string) int {
	i := strings.LastIndexByte(contentRange, '/')
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(contentRange[i+1:])
	return n
}

// mondayOf is the Monday of the week of t, in the schools' time zone.
func mondayOf(t time.Time) time.Time {
	d := school.DateOf(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}
