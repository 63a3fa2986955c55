package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// user is one pupil's app: its tokens and where it is in its grades.
type user struct {
	mu       sync.Mutex // one request of a user at a time, as on a phone
	acc      account
	tok      tokens
	gradePg  int // the next grade page to ask
	gradeMax int // pages the pupil has, from Content-Range
}

type users []*user

func newUsers(accs []account) users {
	us := make(users, len(accs))
	for i, a := range accs {
		us[i] = &user{acc: a}
	}
	return us
}

// runner sends the requests and gathers what came back.
type runner struct {
	opts   options
	client *client
	users  users
	now    func() time.Time

	issued atomic.Int64
	late   atomic.Int64 // rate mode: ticks that found every worker busy
}

// tally is what one worker saw; workers merge theirs at the end, so the
// hot path takes no lock.
type tally struct {
	took     [kinds][]time.Duration
	statuses [kinds]map[int]int
	errs     [kinds]int
	lastErr  error
}

func newTally() *tally {
	t := &tally{}
	for k := range t.statuses {
		t.statuses[k] = map[int]int{}
	}
	return t
}

func (t *tally) add(k kind, d time.Duration, status int, err error) {
	t.took[k] = append(t.took[k], d)
	t.statuses[k][status]++
	if err != nil {
		t.errs[k]++
		t.lastErr = err
	}
}

func (t *tally) merge(o *tally) {
	for k := range kinds {
		t.took[k] = append(t.took[k], o.took[k]...)
		for s, n := range o.statuses[k] {
			t.statuses[k][s] += n
		}
		t.errs[k] += o.errs[k]
	}
	if o.lastErr != nil {
		t.lastErr = o.lastErr
	}
}

// run sends requests until --requests are issued, --duration has passed or
// ctx ends, whichever comes first. Requests in flight at the deadline
// finish, so the server is drained rather than cut off.
func (r *runner) run(ctx context.Context) (*report, error) {
	if r.opts.loginFirst {
		if err := r.loginAll(ctx); err != nil {
			return nil, err
		}
	}
	start := r.now()
	deadline := start.Add(r.opts.duration)
	stopCtx, stop := context.WithDeadline(ctx, deadline)
	defer stop()

	var sampler *sampler
	if r.opts.pid > 0 {
		sampler = startSampler(stopCtx, r.opts.pid, r.opts.sample, r.opts.tolerance,
			r.now, &r.issued)
	}

	var jobs chan struct{}
	if r.opts.rate > 0 {
		jobs = make(chan struct{})
		go r.pace(stopCtx, jobs)
	}
	tallies := make([]*tally, r.opts.concurrency)
	var wg sync.WaitGroup
	for i := range tallies {
		tallies[i] = newTally()
		wg.Go(func() { r.work(ctx, stopCtx, jobs, tallies[i]) })
	}
	wg.Wait()
	elapsed := r.now().Sub(start)

	total := newTally()
	for _, t := range tallies {
		total.merge(t)
	}
	rep := newReport(r.opts, elapsed, total, r.late.Load())
	if sampler != nil {
		rep.Memory = sampler.finish()
	}
	return rep, nil
}

// loginAll logs every user in once, unmeasured, --concurrency at a time:
// as many requests as there are users, and no more.
func (r *runner) loginAll(ctx context.Context) error {
	var next, failed atomic.Int64
	var lastErr atomic.Value
	var wg sync.WaitGroup
	for range r.opts.concurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(r.users) || ctx.Err() != nil {
					return
				}
				u := r.users[i]
				tok, status, err := r.client.login(ctx, u.acc)
				if status != http.StatusOK || err != nil {
					failed.Add(1)
					lastErr.Store(fmt.Sprintf("%s: status %d, %v", u.acc.Username, status, err))
					continue
				}
				u.tok = tok
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("login first: %d of %d logins failed; last %s", n, len(r.users),
			lastErr.Load())
	}
	return ctx.Err()
}

// pace hands out one job every 1/rate seconds. A tick that finds every
// worker busy is counted late and dropped: a steady rate must not turn
// into a burst after a slow spell.
func (r *runner) pace(ctx context.Context, jobs chan<- struct{}) {
	defer close(jobs)
	every := time.Duration(float64(time.Second) / r.opts.rate)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		select {
		case jobs <- struct{}{}:
		default:
			r.late.Add(1)
		}
	}
}

func (r *runner) work(ctx, stopCtx context.Context, jobs <-chan struct{}, t *tally) {
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for {
		if jobs != nil {
			if _, ok := <-jobs; !ok {
				return
			}
		} else if stopCtx.Err() != nil {
			return
		}
		if r.issued.Add(1) > int64(r.opts.requests) {
			return
		}
		u := r.users[rng.IntN(len(r.users))]
		u.mu.Lock()
		r.one(ctx, u, r.opts.mix.pick(rng), rng, t)
		u.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
	}
}

// one sends one request for u. A user without tokens logs in first, so
// what is asked for may become a login.
func (r *runner) one(ctx context.Context, u *user, k kind, rng *rand.Rand, t *tally) {
	if u.tok.Access == "" {
		k = kindLogin
	}
	begin := r.now()
	var status int
	var err error
	switch k {
	case kindLogin:
		var tok tokens
		if tok, status, err = r.client.login(ctx, u.acc); status == http.StatusOK && err == nil {
			u.tok = tok
		}
	case kindRefresh:
		var tok tokens
		tok, status, err = r.client.refresh(ctx, u.tok.Refresh)
		switch {
		case status == http.StatusOK && err == nil:
			u.tok = tok
		case status != 0:
			u.tok = tokens{} // log in again next time
		}
	case kindGrades:
		var total int
		total, status, err = r.client.grades(ctx, u.tok.Access, u.acc.pupil(), u.gradePg)
		if status/100 == 2 {
			// Walk the pages as an app does, then start over.
			u.gradeMax = max(1, (total+99)/100)
			u.gradePg = (u.gradePg + 1) % u.gradeMax
		}
	case kindWeek:
		// A week of this school year: the apps open this week and swipe
		// a few weeks back and forth.
		monday := mondayOf(r.now()).AddDate(0, 0, 7*(rng.IntN(9)-4))
		status, err = r.client.week(ctx, u.tok.Access, monday)
	}
	if status == http.StatusUnauthorized && k != kindLogin {
		u.tok = tokens{}
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return // interrupted by the operator: not the server's fault
	}
	t.add(k, r.now().Sub(begin), status, err)
}
