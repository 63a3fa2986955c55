package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// memory is the server's resident memory over a run.
type memory struct {
	StartKiB int64    `json:"start_kib"`
	EndKiB   int64    `json:"end_kib"`
	MaxKiB   int64    `json:"max_kib"`
	Samples  []sample `json:"samples"`
	Flat     bool     `json:"flat"`
	Verdict  string   `json:"verdict"`
	Err      string   `json:"error,omitempty"`
}

type sample struct {
	At       time.Duration `json:"at_ns"`
	RSSKiB   int64         `json:"rss_kib"`
	Requests int64         `json:"requests"`
}

// sampler reads the server's RSS every interval until its context ends.
type sampler struct {
	pid       int
	now       func() time.Time
	start     time.Time
	issued    *atomic.Int64
	tolerance float64
	samples   []sample
	err       error
	done      chan struct{}
}

func startSampler(ctx context.Context, pid int, every time.Duration, tol float64,
	now func() time.Time, issued *atomic.Int64) *sampler {
	s := &sampler{pid: pid, now: now, start: now(), issued: issued, tolerance: tol,
		done: make(chan struct{})}
	s.take()
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.take()
			}
		}
	}()
	return s
}

func (s *sampler) take() {
	kib, err := rssKiB(s.pid)
	if err != nil {
		s.err = err
		return
	}
	s.samples = append(s.samples, sample{At: s.now().Sub(s.start), RSSKiB: kib,
		Requests: s.issued.Load()})
}

// finish waits for the sampling goroutine, takes a last sample and judges.
func (s *sampler) finish() *memory {
	<-s.done
	s.take()
	m := judge(s.samples, s.tolerance)
	if s.err != nil {
		m.Err = s.err.Error()
	}
	return m
}

// warmup is the share of samples at the start of a run that judging skips:
// pools open, caches fill and the heap finds its size there.
const warmup = 0.2

// judge calls memory flat when the highest RSS of the second half of the
// samples after the warm-up is at most tol above the highest of the first
// half. A leak climbs steadily and breaks that; the garbage collector's
// sawtooth does not.
func judge(samples []sample, tol float64) *memory {
	m := &memory{Samples: samples}
	if len(samples) == 0 {
		m.Verdict = "no memory samples"
		return m
	}
	m.StartKiB, m.EndKiB = samples[0].RSSKiB, samples[len(samples)-1].RSSKiB
	for _, s := range samples {
		m.MaxKiB = max(m.MaxKiB, s.RSSKiB)
	}
	rest := samples[int(float64(len(samples))*warmup):]
	if len(rest) < 4 {
		m.Verdict = fmt.Sprintf("too few samples to judge (%d after warm-up, want 4)",
			len(rest))
		return m
	}
	half := len(rest) / 2
	first, second := maxRSS(rest[:half]), maxRSS(rest[half:])
	growth := float64(second-first) / float64(first)
	m.Flat = growth <= tol
	word := "flat"
	if !m.Flat {
		word = "NOT flat"
	}
	m.Verdict = fmt.Sprintf("%s: highest RSS %s in the first half after warm-up, %s in the "+
		"second (%+.1f%%, tolerance %.0f%%)", word, mib(first), mib(second), 100*growth, 100*tol)
	return m
}

func maxRSS(ss []sample) int64 {
	var m int64
	for _, s := range ss {
		m = max(m, s.RSSKiB)
	}
	return m
}
