package twonode

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensom/opensom/internal/store/sqlstore/sqltest"
)

// legacyClient is the client id of the password-grant clients.
const legacyClient = "D50E0C06-32D1-4B41-A137-A9A850C892C2"

// maxAttempts is the nodes' lockout threshold, low to keep the test short.
const maxAttempts = 3

func TestTwoNodes(t *testing.T) {
	dsn := sqltest.PostgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := build(ctx, t, dir)

	// Migrations first, then the demo world, then the nodes: the order of
	// an upgrade, and the world is in before either node looks.
	runOnce(ctx, t, bin, "migrate", "--db", dsn)
	accounts := demoAccounts(ctx, t, bin, dsn)

	// Both nodes stand behind one public address, as behind a proxy: the
	// tokens they issue name it, so either node accepts the other's.
	portA, portB := freePort(t), freePort(t)
	public := "http://127.0.0.1:" + portA
	var a, b *node
	var wg sync.WaitGroup
	wg.Go(func() { a = startNode(ctx, t, bin, dir, "a", dsn, portA, public) })
	wg.Go(func() { b = startNode(ctx, t, bin, dir, "b", dsn, portB, public) })
	wg.Wait()
	if t.Failed() {
		return
	}

	t.Run("token of one node works on the other", func(t *testing.T) {
		pupil := accounts.pupil(0)
		for _, pair := range [][2]*node{{a, b}, {b, a}} {
			tok := pair[0].mustLogin(t, pupil)
			status, body := pair[1].get(t, "/rest/v1/leerlingen", tok.AccessToken)
			if status != 200 {
				t.Errorf("token of %s on %s: %d %s", pair[0].name, pair[1].name, status, body)
			}
		}
	})

	t.Run("refresh on one node, reuse on the other", func(t *testing.T) {
		first := a.mustLogin(t, accounts.pupil(0))
		second, status, body := a.refresh(t, first.RefreshToken)
		if status != 200 {
			t.Fatalf("refresh on a: %d %s", status, body)
		}
		// The nodes run with no grace window, and b's clock reads after
		// a's answer, so this is a reuse.
		if _, status, body := b.refresh(t, first.RefreshToken); status == 200 {
			t.Fatalf("reuse on b of a token a rotated: 200 %s", body)
		}
		// The reuse revoked the family: the token a handed out is dead too.
		if _, status, body := a.refresh(t, second.RefreshToken); status == 200 {
			t.Errorf("the replacement after a reuse, on a: 200 %s", body)
		}
	})

	t.Run("lockout made on one node holds on the other", func(t *testing.T) {
		locked, other := accounts.pupil(1), accounts.pupil(2)
		wrong := locked
		wrong.Password = "not-" + locked.Password
		for i := range maxAttempts {
			if _, status, _ := a.login(t, wrong); status == 200 {
				t.Fatalf("wrong password %d on a: 200", i)
			}
		}
		_, status, body := b.login(t, locked)
		if status == 200 || !strings.Contains(string(body), "locked") {
			t.Errorf("right password of a name locked on a, on b: %d %s; want locked",
				status, body)
		}
		if _, status, body := b.login(t, other); status != 200 {
			t.Errorf("another name on b: %d %s", status, body)
		}
	})

	t.Run("killing a node mid-stream loses no confirmed write", func(t *testing.T) {
		killMidStream(t, a, b, accounts.pupil(3))
	})
}

// killMidStream sends a bounded stream of writes to a, kills a with
// SIGKILL while they run, and checks on b that every write a confirmed is
// there, while b keeps answering throughout.
func killMidStream(t *testing.T, a, b *node, who account) {
	const (
		workers    = 4
		perWorker  = 25 // at most this many login+refresh rounds each
		killAfter  = 24 // confirmed writes before the kill
		bReadLimit = 400
	)
	var (
		mu        sync.Mutex
		finals    []string // refresh tokens a returned and nobody used since
		confirmed atomic.Int64
		killed    = make(chan struct{})
		enough    = make(chan struct{})
		once      sync.Once
	)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				select {
				case <-killed:
					return
				default:
				}
				// A login starts a family; its refresh rotates it. The
				// replacement is never sent to a again, so nothing can
				// rotate it unseen if a dies after committing an answer
				// it never sent.
				first, status, _ := a.login(t, who)
				if status != 200 {
					continue
				}
				confirmed.Add(1)
				next, status, _ := a.refresh(t, first.RefreshToken)
				if status != 200 {
					continue
				}
				mu.Lock()
				finals = append(finals, next.RefreshToken)
				mu.Unlock()
				if confirmed.Add(1) >= killAfter {
					once.Do(func() { close(enough) })
				}
			}
			once.Do(func() { close(enough) })
		})
	}

	// b answers all along, before, during and after the kill.
	bToken := b.mustLogin(t, who)
	var bFailures []string
	bDone := make(chan struct{})
	go func() {
		defer close(bDone)
		for i := 0; i < bReadLimit; i++ {
			status, body := b.get(t, "/rest/v1/leerlingen", bToken.AccessToken)
			if status != 200 {
				bFailures = append(bFailures, fmt.Sprintf("%d %s", status, body))
			}
			select {
			case <-killed:
				if i >= 20 { // some reads after the kill, then stop
					return
				}
			default:
			}
		}
	}()

	<-enough
	a.kill(t)
	close(killed)
	wg.Wait()
	<-bDone
	for _, f := range bFailures {
		t.Errorf("b while a died: %s", f)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(finals) == 0 {
		t.Fatal("a confirmed no refresh before it was killed")
	}
	t.Logf("a confirmed %d writes, %d of them refreshes, before SIGKILL", confirmed.Load(),
		len(finals))
	for i, tok := range finals {
		if _, status, body := b.refresh(t, tok); status != 200 {
			t.Errorf("refresh token %d that a returned, on b: %d %s", i, status, body)
		}
	}
	if _, status, body := b.login(t, who); status != 200 {
		t.Errorf("b after a died: login %d %s", status, body)
	}
}

// account is one entry of `opensom accounts --json`.
type account struct {
	TenantUUID string  `json:"tenant_uuid"`
	Username   string  `json:"username"`
	Password   string  `json:"-"`
	RawPass    *string `json:"password"`
	Role       string  `json:"role"`
}

type accountList []account

// pupil is the i-th pupil account with a demo password.
func (l accountList) pupil(i int) account {
	for _, a := range l {
		if a.Role == "leerling" && a.RawPass != nil {
			if i == 0 {
				a.Password = *a.RawPass
				return a
			}
			i--
		}
	}
	panic("not enough pupil accounts in the demo world")
}

func demoAccounts(ctx context.Context, t *testing.T, bin, dsn string) accountList {
	t.Helper()
	out := runOnce(ctx, t, bin, "accounts", "--json", "--db", dsn)
	var list accountList
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("accounts --json: %v", err)
	}
	return list
}

// build compiles opensom into dir.
func build(ctx context.Context, t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go tool to build opensom: %v", err)
	}
	bin := filepath.Join(dir, "opensom")
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", bin,
		"github.com/opensom/opensom/cmd/opensom")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runOnce runs a sub-command to its end and returns its standard output.
func runOnce(ctx context.Context, t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("opensom %s: %v\n%s", args[0], err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// freePort is a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// node is one running `opensom serve`.
type node struct {
	name   string
	url    string
	cmd    *exec.Cmd
	log    string
	client *http.Client
	done   chan struct{}
}

func startNode(ctx context.Context, t *testing.T, bin, dir, name, dsn, port,
	public string) *node {
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Error(err)
		return nil
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:"+port,
		"--public-url", public, "--refresh-grace", "0s",
		"--max-attempts", fmt.Sprint(maxAttempts), "--log-format", "json")
	cmd.Stdout, cmd.Stderr = io.Discard, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Errorf("start node %s: %v", name, err)
		return nil
	}
	n := &node{name: name, url: "http://127.0.0.1:" + port, cmd: cmd, log: logPath,
		client: &http.Client{Timeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		logFile.Close()
		close(n.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-n.done
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("log of node %s:\n%s", name, b)
		}
	})
	if err := n.waitReady(ctx); err != nil {
		t.Errorf("node %s: %v", name, err)
	}
	return n
}

// waitReady polls the school list until it answers, the node exits or
// 60 seconds pass.
func (n *node) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := n.client.Get(n.url + "/organisaties.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-n.done:
			return fmt.Errorf("exited before it answered")
		case <-ctx.Done():
			return fmt.Errorf("not answering: %v", err)
		case <-tick.C:
		}
	}
}

// kill ends the node with SIGKILL, as a crash or an OOM kill would.
func (n *node) kill(t *testing.T) {
	t.Helper()
	if err := n.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill %s: %v", n.name, err)
	}
	<-n.done
}

// tokens is the token endpoint's success body.
type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

func (n *node) token(t *testing.T, form url.Values) (tokens, int, []byte) {
	t.Helper()
	form.Set("client_id", legacyClient)
	resp, err := n.client.PostForm(n.url+"/oauth2/token", form)
	if err != nil {
		return tokens{}, 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return tokens{}, 0, []byte(err.Error())
	}
	var tk tokens
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(body, &tk); err != nil {
			t.Errorf("%s: token answer: %v", n.name, err)
		}
	}
	return tk, resp.StatusCode, body
}

func (n *node) login(t *testing.T, a account) (tokens, int, []byte) {
	t.Helper()
	return n.token(t, url.Values{"grant_type": {"password"}, "scope": {"openid"},
		"username": {a.TenantUUID + `\` + a.Username}, "password": {a.Password}})
}

func (n *node) mustLogin(t *testing.T, a account) tokens {
	t.Helper()
	tk, status, body := n.login(t, a)
	if status != 200 {
		t.Fatalf("login on %s: %d %s", n.name, status, body)
	}
	return tk
}

func (n *node) refresh(t *testing.T, refresh string) (tokens, int, []byte) {
	t.Helper()
	return n.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
}

func (n *node) get(t *testing.T, path, access string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", n.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Accept", "application/json")
	resp, err := n.client.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}
