// Command opensom is a server that speaks the SOMtoday API: the school
// list, the OAuth2 token endpoint and the per-school REST API. This file
// holds flags and wiring only.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/opensom/opensom/internal/admin"
	"github.com/opensom/opensom/internal/clock"
	"github.com/opensom/opensom/internal/config"
	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/server"
	"github.com/opensom/opensom/internal/store/sqlstore"
)

const usage = `opensom: a SOMtoday-compatible server.

Usage:
  opensom serve    [flags]   run the server (fills an empty database with the demo world,
                             or with the world file of --world)
  opensom accounts [flags]   print the accounts and their sandbox passwords (--json for JSON)
  opensom seed     [flags]   generate a world of any size into an empty database
  opensom migrate  [flags]   bring the database's schema up to date, then exit

Run "opensom <command> -h" for the flags of a command.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "opensom:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "accounts":
		return accounts(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrateDB(ctx, args[1:], stderr)
	case "seed":
		return seedDB(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// parse fills a Config from flags and the environment and validates it.
func parse(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, error) {
	cfg := config.Default()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := cfg.Register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(0))
	}
	if err := errors.Join(env.Err(), cfg.Validate()); err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse("serve", args, stderr, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The one clock of the process; the admin API moves it.
	clk := clock.New(time.Now)
	start := clk.Now()
	st, err := server.OpenStore(ctx, cfg, log, start)
	if err != nil {
		return err
	}
	defer st.Close()

	limit, err := server.OpenLimiter(ctx, cfg, st, log)
	if err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	defer limit.Close()

	h, err := server.Handler(ctx, server.Options{Config: cfg, Store: st, Log: log,
		Now: clk.Now, Clock: clk, DemoNow: start, Limiter: limit.Limiter})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if err := printAccounts(ctx, st, stdout, cfg.PublicURL); err != nil {
		return err
	}

	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL,
		"db", cfg.DBForLog(), "rate_limit_in", limit.Where)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down; finishing requests in flight", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// migrateDB runs the migrations and nothing else, so that an upgrade can
// migrate first and then start nodes of the new version (serve migrates
// too, but then every node of a fleet races to be the one that does).
func migrateDB(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parse("migrate", args, stderr, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	st, err := sqlstore.Open(ctx, cfg.DB, log)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	log.Info("schema up to date", "db", cfg.DBForLog())
	return nil
}

func accounts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var asJSON bool
	cfg, err := parse("accounts", args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	})
	if err != nil {
		return err
	}
	st, err := server.OpenStore(ctx, cfg, newLogger(cfg, stderr), time.Now())
	if err != nil {
		return err
	}
	defer st.Close()

	list, err := admin.ListAccounts(ctx, st)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return writeTable(stdout, list, len(list))
}

// printAccounts shows a short table of demo accounts at start.
func printAccounts(ctx context.Context, st school.Store, w io.Writer, publicURL string) error {
	list, err := admin.FirstAccounts(ctx, st, 3)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "opensom at %s; some sandbox accounts (all of them: opensom accounts):\n",
		publicURL)
	return writeTable(w, list, 3)
}

// writeTable prints the demo accounts, at most perSchool of each school.
func writeTable(w io.Writer, list []admin.Account, perSchool int) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tUSERNAME\tPASSWORD\tSCHOOL\tTENANT_UUID")
	shown := map[string]int{}
	for _, a := range list {
		if a.Password == nil || shown[a.TenantUUID] == perSchool {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Role, a.Username, *a.Password, a.School,
			a.TenantUUID)
		shown[a.TenantUUID]++
	}
	return tw.Flush()
}
