package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

const (
	loginRoute     = "/"
	sessionCookie  = "JSESSIONID"
	purposeSession = "session"
	// passwordPage is where a username-first login goes after the name.
	// It must not contain "auth=": scrapers take a Location with auth= in
	// it as the sign that the school uses the one-page form (spec 2.5.3).
	passwordPage = "/login?2"
	maxLoginForm = 16 << 10
	maxPicked    = 50
)

// loginSession is the JSESSIONID cookie: which auth value the browser is
// logging in for, the username of a two-page login, and a message to show
// once. It is sealed, so the client holds it and any node can read it.
type loginSession struct {
	Auth    string `json:"a"`
	User    string `json:"u,omitempty"`
	Flash   string `json:"f,omitempty"`
	Expires int64  `json:"x"`
}

// handleLoginPage is GET /: with ?auth= the login page of the authorize
// call sealed in it (the school picker while it names no school), without
// it the list of schools. It starts the login session cookie that the
// form posts must bring back.
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	raw := q.Get("auth")
	if raw == "" {
		s.schoolList(w, r, "")
		return
	}
	req, ok := s.openAuth(raw)
	if !ok {
		s.expired(w)
		return
	}

	if picked := q.Get("tenant"); picked != "" && req.Tenant == "" {
		s.pickSchool(w, r, req, picked)
		return
	}
	if req.Tenant == "" {
		s.schoolList(w, r, raw)
		return
	}
	sc, err := s.store.SchoolByUUID(r.Context(), req.Tenant)
	if err != nil {
		s.pageFault(w, loginRoute, fmt.Errorf("load school: %w", err))
		return
	}

	prev, _ := s.readSession(r)
	flash := ""
	if prev.Auth == raw {
		flash = prev.Flash
	}
	if err := s.setSession(w, loginSession{Auth: raw, Expires: req.Expires}); err != nil {
		s.pageFault(w, loginRoute, err)
		return
	}

	d := pageData{Title: "Inloggen", School: sc.Name, City: sc.City, Message: flash,
		Auth: raw, Other: s.otherSchoolLink(req)}
	if len(sc.OIDCURLs) > 0 {
		d.Kind = "external"
		for _, o := range sc.OIDCURLs {
			d.IdPs = append(d.IdPs, o.Description)
		}
		s.page(w, http.StatusOK, d)
		return
	}
	d.Kind = "username"
	if s.combined[sc.UUID] {
		d.Kind = "combined"
	}
	d.Action = "/?0-1.-panel-signInForm&auth=" + url.QueryEscape(raw)
	s.page(w, http.StatusOK, d)
}

// handlePasswordPage is GET /login, the second page of a username-first
// login: it needs the session that the first page's post filled.
func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.readSession(r)
	if !ok {
		s.expired(w)
		return
	}
	req, ok := s.openAuth(sess.Auth)
	if !ok {
		s.expired(w)
		return
	}
	if sess.User == "" || req.Tenant == "" {
		http.Redirect(w, r, "/?auth="+url.QueryEscape(sess.Auth), http.StatusFound)
		return
	}
	sc, err := s.store.SchoolByUUID(r.Context(), req.Tenant)
	if err != nil {
		s.pageFault(w, "/login", fmt.Errorf("load school: %w", err))
		return
	}
	flash := sess.Flash
	sess.Flash = ""
	if err := s.setSession(w, sess); err != nil {
		s.pageFault(w, "/login", err)
		return
	}
	s.page(w, http.StatusOK, pageData{Title: "Inloggen", Kind: "password", School: sc.Name,
		City: sc.City, Message: flash, Username: sess.User, Auth: sess.Auth,
		Action: "/login?2-1.-passwordForm&auth=" + url.QueryEscape(sess.Auth),
		Other:  "/?auth=" + url.QueryEscape(sess.Auth)})
}

// handleLoginPost takes the sign-in form (username, or both fields) and
// the password form, at any of their Wicket-style addresses. CSRF: the
// post must come with the session cookie of a page of the same auth value
// (a cookie other sites' posts do not carry, being SameSite=Lax), and an
// Origin, when sent, must be ours. Scrapers that read no token from the
// page pass, as they keep cookies.
func (s *Server) handleLoginPost(w http.ResponseWriter, r *http.Request) {
	form := wicketForm(r)
	if form == "" {
		http.NotFound(w, r)
		return
	}
	if o := r.Header.Get("Origin"); o != "" && o != s.publicURL {
		s.log.Info("login post from another origin", "route", loginRoute,
			"status", http.StatusForbidden)
		s.page(w, http.StatusForbidden, pageData{Title: "Niet toegestaan",
			Message: "Dit formulier kan alleen vanaf de inlogpagina worden verstuurd."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		s.page(w, http.StatusBadRequest, pageData{Title: "Ongeldig verzoek",
			Message: "Het formulier kon niet worden gelezen."})
		return
	}

	sess, hasSession := s.readSession(r)
	raw := r.URL.Query().Get("auth")
	if raw == "" {
		raw = sess.Auth
	}
	req, ok := s.openAuth(raw)
	if !ok {
		s.expired(w)
		return
	}
	restart := "/?auth=" + url.QueryEscape(raw)
	if !hasSession || sess.Auth != raw || req.Tenant == "" {
		http.Redirect(w, r, restart, http.StatusFound)
		return
	}
	sc, err := s.store.SchoolByUUID(r.Context(), req.Tenant)
	if err != nil {
		s.pageFault(w, loginRoute, fmt.Errorf("load school: %w", err))
		return
	}
	if len(sc.OIDCURLs) > 0 {
		http.Redirect(w, r, restart, http.StatusFound)
		return
	}

	s.signIn(w, r, form, sess, req, sc)
}

// signIn is the step after the checks: remember a username, or check the
// credentials and finish.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, form string,
	sess loginSession, req authRequest, sc school.School) {
	restart := "/?auth=" + url.QueryEscape(sess.Auth)
	user := sess.User
	back := passwordPage // where a failure shows
	if form == "signInForm" {
		user = strings.TrimSpace(r.PostForm.Get(fieldUsername))
		back = restart
	}
	password := r.PostForm.Get(fieldPassword)
	again := func(to, flash string) {
		sess.User, sess.Flash = user, flash
		if err := s.setSession(w, sess); err != nil {
			s.pageFault(w, loginRoute, err)
			return
		}
		http.Redirect(w, r, to, http.StatusFound)
	}

	switch {
	case user == "":
		again(restart, "Vul je gebruikersnaam in.")
		return
	case password == "" && form == "signInForm" && !s.combined[sc.UUID]:
		again(passwordPage, "")
		return
	case password == "":
		again(back, "Vul je wachtwoord in.")
		return
	}

	acc, refusal, err := s.checkLogin(r.Context(), sc, user, password, failLoginPage)
	if err != nil {
		s.pageFault(w, loginRoute, err)
		return
	}
	if refusal != nil {
		msg := fmt.Sprintf("Onjuiste gebruikersnaam of wachtwoord. Nog %d pogingen.",
			refusal.left)
		if refusal.locked {
			msg = "Dit account is tijdelijk geblokkeerd. Probeer het later opnieuw."
		}
		again(back, msg)
		return
	}

	code, err := s.newCode(r.Context(), req, acc)
	if err != nil {
		s.pageFault(w, loginRoute, err)
		return
	}
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	s.redirectBack(w, r, s.redirectTarget(req), url.Values{"code": {code}}, req.State)
}

// wicketForm tells which form a post is for from its address, whatever
// Wicket page counter it carries: /?0-1.-panel-signInForm&auth=...,
// /0-1.-panel-signInForm, /login?2-1.-passwordForm&auth=... and so on.
// A post to /login without a marker is the password form.
func wicketForm(r *http.Request) string {
	where := r.URL.Path + "?" + r.URL.RawQuery
	switch {
	case strings.Contains(where, "signInForm"):
		return "signInForm"
	case strings.Contains(where, "passwordForm"), r.URL.Path == "/login":
		return "passwordForm"
	}
	return ""
}

func (s *Server) readSession(r *http.Request) (loginSession, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return loginSession{}, false
	}
	var sess loginSession
	if s.seal.open(purposeSession, c.Value, &sess) != nil || s.now().Unix() >= sess.Expires {
		return loginSession{}, false
	}
	return sess, true
}

func (s *Server) setSession(w http.ResponseWriter, sess loginSession) error {
	v, err := s.seal.seal(purposeSession, sess)
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(sessionCookie, v, 0))
	return nil
}

func (s *Server) expired(w http.ResponseWriter) {
	s.page(w, http.StatusBadRequest, pageData{Title: "Inloggen verlopen",
		Message: "Deze inlogpoging is verlopen of ongeldig. Begin opnieuw vanuit je app."})
}

// otherSchoolLink is the login page of the same call without its school.
func (s *Server) otherSchoolLink(req authRequest) string {
	req.Tenant, req.OIDCIss = "", ""
	v, err := s.seal.seal(purposeAuth, req)
	if err != nil {
		return ""
	}
	return "/?auth=" + url.QueryEscape(v)
}

// pickSchool seals the chosen school into the auth value.
func (s *Server) pickSchool(w http.ResponseWriter, r *http.Request, req authRequest,
	uuid string) {
	sc, err := s.store.SchoolByUUID(r.Context(), uuid)
	if errors.Is(err, school.ErrNotFound) {
		s.page(w, http.StatusBadRequest, pageData{Title: "Onbekende school",
			Message: "Die school bestaat niet."})
		return
	}
	if err != nil {
		s.pageFault(w, loginRoute, fmt.Errorf("load school: %w", err))
		return
	}
	req.Tenant = sc.UUID
	v, err := s.seal.seal(purposeAuth, req)
	if err != nil {
		s.pageFault(w, loginRoute, err)
		return
	}
	http.Redirect(w, r, "/?auth="+url.QueryEscape(v), http.StatusFound)
}

// schoolOption is an autocomplete answer (spec 2.5.3).
type schoolOption struct {
	ID    string `json:"id"`
	Value string `json:"value"`
	Label string `json:"label"`
}

// schoolList is the school picker: an HTML list filtered by ?term=, or,
// for a script (X-Requested-With or Accept naming JSON), the autocomplete
// array. Without an auth value the list only shows; logging in starts at
// an app's authorize call.
func (s *Server) schoolList(w http.ResponseWriter, r *http.Request, auth string) {
	term := strings.TrimSpace(r.URL.Query().Get("term"))
	all, err := s.store.Schools(r.Context())
	if err != nil {
		s.pageFault(w, loginRoute, fmt.Errorf("load schools: %w", err))
		return
	}
	found := slices.DeleteFunc(all, func(sc school.School) bool {
		return !matches(sc, term)
	})

	if r.Header.Get("X-Requested-With") == "XMLHttpRequest" ||
		strings.Contains(r.Header.Get("Accept"), "json") {
		opts := make([]schoolOption, 0, min(len(found), maxPicked))
		for _, sc := range found[:min(len(found), maxPicked)] {
			opts = append(opts, schoolOption{ID: sc.UUID, Value: sc.Name,
				Label: sc.Name + " - " + sc.City})
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(opts)
		return
	}

	d := pageData{Title: "Kies je school", Kind: "pick", Auth: auth, Term: term,
		More:   len(found) > maxPicked,
		Search: "./?0-1.-panel-organisatieSearchField&auth=" + url.QueryEscape(auth)}
	if auth == "" {
		d.Message = "Inloggen begint in je app. Hieronder staan de scholen van deze server."
	}
	for _, sc := range found[:min(len(found), maxPicked)] {
		it := pickItem{Name: sc.Name, City: sc.City}
		if auth != "" {
			it.Link = "/?auth=" + url.QueryEscape(auth) + "&tenant=" + url.QueryEscape(sc.UUID)
		}
		d.Schools = append(d.Schools, it)
	}
	s.page(w, http.StatusOK, d)
}

func matches(sc school.School, term string) bool {
	if term == "" {
		return true
	}
	t := strings.ToLower(term)
	return strings.Contains(strings.ToLower(sc.Name), t) ||
		strings.Contains(strings.ToLower(sc.City), t)
}
