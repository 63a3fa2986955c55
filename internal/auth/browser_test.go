package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// chromium finds Debian's chromium. Without one the browser test skips,
// unless OPENSOM_REQUIRE_BROWSER=1 (CI) makes that a failure.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("OPENSOM_REQUIRE_BROWSER") == "1" {
		t.Fatal("no chromium binary, and OPENSOM_REQUIRE_BROWSER=1")
	}
	t.Skip("no chromium binary (apt-get install chromium); set OPENSOM_REQUIRE_BROWSER=1 " +
		"to make this a failure")
	return ""
}

// The whole browser login in headless Chromium: open the authorize URL,
// search and pick the school, type the username, then the password,
// follow the redirect, exchange the code and read /rest/v1/leerlingen.
// Chromium talks to the test server on 127.0.0.1 only; its background
// services are off. OPENSOM_SCREENSHOT_DIR keeps screenshots of the pages.
func TestBrowserLogin(t *testing.T) {
	bin := chromium(t)
	e := startE2E(t)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.WindowSize(1000, 800),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	shots := os.Getenv("OPENSOM_SCREENSHOT_DIR")
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			if shots == "" {
				return nil
			}
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644)
		})
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	err := chromedp.Do(ctx,
		chromedp.Navigate(e.authorizeURL("")),
		chromedp.WaitVisible(css(`#term`)),
		shot("1-picker"),
		chromedp.SendKeys(css(`#term`), "reigers"),
		chromedp.Submit(css(`#term`)),
		chromedp.WaitVisible(css(`ul.schools a`)),
		chromedp.Click(css(`ul.schools a`)),
		chromedp.WaitVisible(css(`#usernameField`)),
		shot("2-username"),
		chromedp.SendKeys(css(`#usernameField`), "isa.veldkamp"),
		chromedp.Click(css(`#signInForm button`)),
		chromedp.WaitVisible(css(`#passwordField`)),
		shot("3-password"),
		chromedp.SendKeys(css(`#passwordField`), e2ePassword),
		chromedp.Click(css(`#passwordForm button`)),
		chromedp.WaitVisible(css(`#done`)),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	done, err := chromedp.Run(ctx, chromedp.Text(css(`#done`)))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	select {
	case q := <-e.codes:
		e.finish(t, q)
	default:
		t.Fatalf("the browser reached %q but the callback saw no code", done)
	}
}
