package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/demo"
	"github.com/opensom/opensom/internal/school"
)

// The benchmarks run on the default demo world. Their figures, with the
// command that made them, are in BENCHMARKS.md.

type benchWorld struct {
	e       *env
	token   string
	refresh string
	pupil   school.ID
}

func newBenchWorld(b *testing.B, tune ...func(*config.Config)) benchWorld {
	b.Helper()
	w, err := demo.Generate(demo.Options{Seed: config.DefaultSeed, Now: demoNow})
	if err != nil {
		b.Fatal(err)
	}
	e := start(b, w, demoNow, tune...)
	star := w.Accounts[0]
	ta := e.login(b, w.Schools[0].UUID, star.Username, star.DemoPassword)
	return benchWorld{e: e, token: ta.AccessToken, refresh: ta.RefreshToken, pupil: star.PersonID}
}

const allGradeAdditionals = "additional=berekendRapportCijfer&additional=samengesteldeToetskolomId" +
	"&additional=resultaatkolomId&additional=cijferkolomId&additional=toetssoortnaam" +
	"&additional=huidigeAnderVakKolommen"

func (bw benchWorld) gradesRequest() *http.Request {
	req, _ := http.NewRequest("GET", bw.e.url+fmt.Sprintf(
		"/rest/v1/resultaten/huidigVoorLeerling/%d?%s", bw.pupil, allGradeAdditionals), nil)
	req.Header.Set("Authorization", "Bearer "+bw.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Range", "items=0-99")
	return req
}

// serveLocal runs one request through the handler in process, without a
// socket, and keeps the answer.
func serveLocal(b *testing.B, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s: %d %s", req.URL, rec.Code, rec.Body)
	}
	return rec
}

// discard is a ResponseWriter that keeps only the status, so that the
// allocations a benchmark reports are the handler's own.
type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }

func serveDiscard(b *testing.B, h http.Handler, req *http.Request) {
	d := &discard{header: http.Header{}, status: 200}
	h.ServeHTTP(d, req)
	if d.status != 200 {
		b.Fatalf("%s: %d", req.URL, d.status)
	}
}

// noCache turns the answer cache off, to measure building every answer.
func noCache(c *config.Config) { c.AnswerCacheMiB = 0 }

// BenchmarkGradesPage: one page of 100 grades with every additional name,
// answered from the answer cache (a client polling the same page) and
// built from the database every time.
func BenchmarkGradesPage(b *testing.B) {
	b.Run("cached", func(b *testing.B) { benchGradesPage(b, newBenchWorld(b)) })
	b.Run("uncached", func(b *testing.B) { benchGradesPage(b, newBenchWorld(b, noCache)) })
}

func benchGradesPage(b *testing.B, bw benchWorld) {
	h := bw.e.handler
	req := bw.gradesRequest()
	if n := strings.Count(serveLocal(b, h, req).Body.String(), `"resultaten.RResultaat"`); n < 100 {
		b.Fatalf("page holds %d grades, want 100", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serveDiscard(b, h, req)
	}
}

// BenchmarkWeekOfLessons: a week of afspraken with vak, docentAfkortingen
// and leerlingen, cached and uncached.
func BenchmarkWeekOfLessons(b *testing.B) {
	b.Run("cached", func(b *testing.B) { benchWeek(b, newBenchWorld(b)) })
	b.Run("uncached", func(b *testing.B) { benchWeek(b, newBenchWorld(b, noCache)) })
}

func benchWeek(b *testing.B, bw benchWorld) {
	from := school.FormatDate(demoNow.AddDate(0, 0, -2)) // the Monday of that week
	to := school.FormatDate(demoNow.AddDate(0, 0, 4))
	req, _ := http.NewRequest("GET", bw.e.url+"/rest/v1/afspraken?begindatum="+from+
		"&einddatum="+to+"&additional=vak&additional=docentAfkortingen&additional=leerlingen", nil)
	req.Header.Set("Authorization", "Bearer "+bw.token)
	req.Header.Set("Accept", "application/json")
	if n := strings.Count(serveLocal(b, bw.e.handler, req).Body.String(), `"participatie.RAfspraak"`); n < 20 {
		b.Fatalf("week holds %d lessons", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serveDiscard(b, bw.e.handler, req)
	}
}

// BenchmarkRefreshGrant: one refresh_token grant, rotating each time.
func BenchmarkRefreshGrant(b *testing.B) {
	bw := newBenchWorld(b)
	rt := bw.refresh
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {legacyClient}}
		req := httptest.NewRequest("POST", "/oauth2/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := serveLocal(b, bw.e.handler, req)
		rt = extract(rec.Body.String(), "refresh_token")
	}
}

func extract(body, field string) string {
	_, rest, _ := strings.Cut(body, `"`+field+`":"`)
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// BenchmarkLoopback compares opensom's grades page with a bare net/http
// handler that writes the same bytes from memory, both over loopback at
// 32 concurrent clients, in the same run. ns/op is the time per request
// across all clients, so requests per second is 1e9 / ns/op.
func BenchmarkLoopback(b *testing.B) {
	bw := newBenchWorld(b)
	page := serveLocal(b, bw.e.handler, bw.gradesRequest())
	body := page.Body.Bytes()
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Range", page.Header().Get("Content-Range"))
		_, _ = w.Write(body)
	}))
	defer bare.Close()

	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 64,
		DialContext:         (&net.Dialer{}).DialContext,
	}}
	run := func(b *testing.B, target string) {
		u := strings.Replace(bw.gradesRequest().URL.String(), bw.e.url, target, 1)
		b.SetBytes(int64(len(body)))
		b.SetParallelism(16) // 16 x GOMAXPROCS(2) = 32 clients on this machine
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			req, _ := http.NewRequestWithContext(context.Background(), "GET", u, nil)
			req.Header = bw.gradesRequest().Header
			for pb.Next() {
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
	}
	b.Run("bare", func(b *testing.B) { run(b, bare.URL) })
	b.Run("opensom", func(b *testing.B) { run(b, bw.e.url) })
	uncached := newBenchWorld(b, noCache)
	b.Run("opensom-uncached", func(b *testing.B) {
		bw.e, bw.token = uncached.e, uncached.token
		run(b, uncached.e.url)
	})
}
