// Command opensom-load replays a realistic mix of SOMtoday traffic (logins,
// refreshes, grade pages, weeks of lessons) against an opensom server on
// this machine and prints throughput, latency percentiles per kind of
// request and status counts. It only ever talks to 127.0.0.1 or ::1, and
// every run is bounded both in requests and in time. This file holds flags
// and wiring only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Hard ceilings, so that no flag value makes a run unbounded.
const (
	maxDuration = 2 * time.Hour
	maxRequests = 10_000_000
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, errFailed):
		fmt.Fprintln(os.Stderr, "opensom-load:", err)
		os.Exit(1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "opensom-load:", err)
		os.Exit(2)
	}
}

// errFailed: the run finished but what it saw fails the check (a 5xx, an
// error, or memory that grew in a soak).
var errFailed = errors.New("check failed")

// options are the parsed flags.
type options struct {
	target      string
	duration    time.Duration
	requests    int
	rate        float64
	concurrency int
	mix         mix
	accounts    string
	seed        int64
	scale       int
	pid         int
	soak        bool
	sample      time.Duration
	tolerance   float64
	timeout     time.Duration
	jsonOut     string
	loginFirst  bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{}
	fs := flag.NewFlagSet("opensom-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var mixText string
	fs.StringVar(&o.target, "target", "http://127.0.0.1:8080",
		"server origin; only http(s)://127.0.0.1 or [::1] is accepted")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "stop after this long (at most 2h)")
	fs.IntVar(&o.requests, "requests", 10_000, "stop after this many requests (at most 10M)")
	fs.Float64Var(&o.rate, "rate", 0,
		"steady rate in requests a second (0: as fast as --concurrency allows)")
	fs.IntVar(&o.concurrency, "concurrency", 8, "requests in flight at most")
	fs.StringVar(&mixText, "mix", defaultMix,
		"weights of the kinds of request: login, refresh, grades, week")
	fs.StringVar(&o.accounts, "accounts", "",
		"JSON file from `opensom accounts --json` (default: the demo world of --seed/--scale)")
	fs.Int64Var(&o.seed, "seed", 20240801, "seed of the server's demo world, without --accounts")
	fs.IntVar(&o.scale, "scale", 1, "scale of the server's demo world, without --accounts")
	fs.IntVar(&o.pid, "pid", 0, "server process id, to report its resident memory")
	fs.BoolVar(&o.soak, "soak", false,
		"sample the server's memory during the run and fail unless it stays flat (needs --pid)")
	fs.DurationVar(&o.sample, "sample", 10*time.Second, "memory sampling interval in a soak")
	fs.Float64Var(&o.tolerance, "tolerance", 0.15,
		"growth of resident memory, as a fraction, that a soak still calls flat")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "timeout of one request")
	fs.StringVar(&o.jsonOut, "json", "", "also write the report as JSON to this file")
	fs.BoolVar(&o.loginFirst, "login-first", false,
		"log every account in once before measuring, unmeasured and outside --requests, "+
			"so that the run measures the mix rather than each account's first login")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.mix, err = parseMix(mixText); err != nil {
		return o, fmt.Errorf("mix: %w", err)
	}
	return o, o.validate()
}

func (o *options) validate() error {
	var errs []error
	if err := checkTarget(o.target); err != nil {
		errs = append(errs, fmt.Errorf("target: %w", err))
	}
	if o.duration <= 0 || o.duration > maxDuration {
		errs = append(errs, fmt.Errorf("duration: want more than 0 and at most %s, got %s",
			maxDuration, o.duration))
	}
	if o.requests <= 0 || o.requests > maxRequests {
		errs = append(errs, fmt.Errorf("requests: want 1 to %d, got %d", maxRequests, o.requests))
	}
	if o.rate < 0 || o.rate > 100_000 {
		errs = append(errs, fmt.Errorf("rate: want 0 to 100000, got %g", o.rate))
	}
	if o.concurrency < 1 || o.concurrency > 1024 {
		errs = append(errs, fmt.Errorf("concurrency: want 1 to 1024, got %d", o.concurrency))
	}
	if o.soak && o.pid <= 0 {
		errs = append(errs, errors.New("soak: needs --pid of the server"))
	}
	if o.soak && (o.sample <= 0 || o.sample > o.duration/2) {
		errs = append(errs, fmt.Errorf("sample: want more than 0, at most half the duration"))
	}
	if o.timeout <= 0 {
		errs = append(errs, errors.New("timeout: must be positive"))
	}
	return errors.Join(errs...)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	accs, err := loadAccounts(o)
	if err != nil {
		return err
	}
	c := newClient(o.target, o.timeout, o.concurrency)
	r := &runner{opts: o, client: c, users: newUsers(accs), now: time.Now}
	rep, err := r.run(ctx)
	if err != nil {
		return err
	}
	rep.write(stdout)
	if o.jsonOut != "" {
		if err := rep.writeJSON(o.jsonOut); err != nil {
			return err
		}
	}
	return rep.verdict()
}
