package auth

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
)

// pageData is everything a login page can show. Forms name their fields
// as the real service's Wicket pages do (spec 2.5.3), so scrapers that
// post to those names work here.
type pageData struct {
	Title   string
	Message string // an error or notice, shown above the form
	School  string // the chosen school's name
	City    string
	// Action is the form's target; Auth the auth value it carries.
	Action string
	Auth   string
	// Kind picks the body: "" a message only, "pick", "username",
	// "combined", "password" or "external".
	Kind     string
	Username string
	Term     string
	Schools  []pickItem
	Search   string // the autocomplete source, for scripts and scrapers
	Other    string // the link to choose another school
	IdPs     []string
	More     bool // the school list was cut
}

type pickItem struct {
	Name, City, Link string
}

// The field names of the real login form.
const (
	fieldUsername = "usernameFieldPanel:usernameFieldPanel_body:usernameField"
	fieldPassword = "passwordFieldPanel:passwordFieldPanel_body:passwordField"
)

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"userField": func() string { return fieldUsername },
	"passField": func() string { return fieldPassword },
}).Parse(`<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} - opensom</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
background:#eef2f7;color:#1c2733}
main{max-width:24rem;margin:3rem auto;background:#fff;border-radius:12px;
padding:2rem 2rem 1.5rem;box-shadow:0 2px 12px rgba(20,40,80,.12)}
h1{font-size:1.4rem;margin:0 0 .25rem}
.school{color:#4a5a6a;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input[type=text],input[type=password],input[type=search]{box-sizing:border-box;width:100%;
font-size:1rem;padding:.65rem .75rem;border:1px solid #9aa8b6;border-radius:8px}
input:focus{outline:3px solid #8cb8ff;border-color:#2f6fd6}
button{margin-top:1.25rem;width:100%;font-size:1rem;font-weight:600;padding:.7rem;
border:0;border-radius:8px;background:#2f6fd6;color:#fff;cursor:pointer}
button:hover{background:#2459ad}
.msg{background:#fdecec;border:1px solid #e4a0a0;color:#8a1f1f;border-radius:8px;
padding:.6rem .75rem;margin:0 0 1rem}
ul.schools{list-style:none;padding:0;margin:1rem 0 0}
ul.schools li a{display:block;padding:.6rem .75rem;border:1px solid #d3dbe4;
border-radius:8px;margin-bottom:.5rem;text-decoration:none;color:#1c2733}
ul.schools li a:hover{border-color:#2f6fd6;background:#f3f7fe}
.city{color:#6a7a8a;font-size:.9rem}
.small{font-size:.9rem;margin-top:1.25rem}
footer{font-size:.8rem;color:#6a7a8a;text-align:center;margin-top:1.5rem}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{if .School}}<p class="school">{{.School}}{{if .City}}, {{.City}}{{end}}</p>{{end}}
{{if .Message}}<p class="msg" role="alert">{{.Message}}</p>{{end}}
{{if eq .Kind "pick"}}
<form method="get" action="/" role="search">
<input type="hidden" name="auth" value="{{.Auth}}">
<label for="term">Zoek je school</label>
<input type="search" id="term" name="term" value="{{.Term}}" autofocus
 placeholder="Naam of plaats" data-autocomplete-source="{{.Search}}">
<button type="submit">Zoeken</button>
</form>
<ul class="schools">
{{range .Schools}}<li><a href="{{.Link}}">{{.Name}} <span class="city">{{.City}}</span></a></li>
{{else}}<li>Geen school gevonden.</li>{{end}}
</ul>
{{if .More}}<p class="small">Niet alle scholen staan erbij: zoek op naam of plaats.</p>{{end}}
{{else if or (eq .Kind "username") (eq .Kind "combined")}}
<form method="post" action="{{.Action}}" id="signInForm">
<label for="usernameField">Gebruikersnaam</label>
<input type="text" id="usernameField" name="{{userField}}" value="{{.Username}}"
 autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
{{if eq .Kind "combined"}}
<label for="passwordField">Wachtwoord</label>
<input type="password" id="passwordField" name="{{passField}}"
 autocomplete="current-password" required>
{{end}}
<button type="submit" name="loginLink" value="x">{{if eq .Kind "combined"}}Inloggen{{else}}Volgende{{end}}</button>
</form>
{{if .Other}}<p class="small"><a href="{{.Other}}">Andere school kiezen</a></p>{{end}}
{{else if eq .Kind "password"}}
<form method="post" action="{{.Action}}" id="passwordForm">
<p>Inloggen als <strong>{{.Username}}</strong></p>
<label for="passwordField">Wachtwoord</label>
<input type="password" id="passwordField" name="{{passField}}"
 autocomplete="current-password" required autofocus>
<button type="submit" name="loginLink" value="x">Inloggen</button>
</form>
{{if .Other}}<p class="small"><a href="{{.Other}}">Andere gebruiker</a></p>{{end}}
{{else if eq .Kind "external"}}
<p>Deze school laat je inloggen via een eigen inlogdienst:</p>
<ul>{{range .IdPs}}<li>{{.}}</li>{{end}}</ul>
<p>Die inlogdienst is in opensom niet beschikbaar. Gebruik een school zonder eigen
inlogdienst, of de password grant als de school die toestaat.</p>
{{if .Other}}<p class="small"><a href="{{.Other}}">Andere school kiezen</a></p>{{end}}
{{end}}
</main>
<footer>opensom &middot; nabootsing van de SOMtoday-inlogpagina</footer>
</body>
</html>
`))

// page writes a login page. Pages are never cached, may not be framed
// (clickjacking of the password form) and run no script.
func (s *Server) page(w http.ResponseWriter, status int, d pageData) {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, d); err != nil {
		s.log.Error("render login page", "err", err)
		http.Error(w, "Er ging iets mis.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	// Not no-referrer: with it Chromium sends "Origin: null" on the form
	// posts, which the CSRF check must refuse. same-origin still keeps the
	// auth value out of the Referer sent to the client's redirect URI.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy",
		"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageFault is a fault of ours on a page: logged, and a generic page.
func (s *Server) pageFault(w http.ResponseWriter, route string, err error) {
	s.log.Error("login page failed", "route", route, "status",
		http.StatusInternalServerError, "err", err)
	s.page(w, http.StatusInternalServerError, pageData{Title: "Er ging iets mis",
		Message: "De server kon dit verzoek niet afhandelen. Probeer het later opnieuw."})
}

// cookie is a login cookie: for the whole origin, never for scripts, and
// not sent on cross-site posts, which is half of the CSRF defence.
func (s *Server) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(s.publicURL, "https://")}
}
