package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// report is the outcome of a run, printed as text and optionally as JSON.
type report struct {
	Target      string        `json:"target"`
	Mix         string        `json:"mix"`
	Concurrency int           `json:"concurrency"`
	Rate        float64       `json:"rate,omitempty"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	Requests    int           `json:"requests"`
	PerSecond   float64       `json:"per_second"`
	Late        int64         `json:"late,omitempty"`
	Kinds       []kindReport  `json:"kinds"`
	Statuses    map[int]int   `json:"statuses"`
	ServerErrs  int           `json:"server_errors"` // 5xx answers
	Errors      int           `json:"errors"`        // no usable answer
	LastError   string        `json:"last_error,omitempty"`
	Memory      *memory       `json:"memory,omitempty"`
	soak        bool
}

type kindReport struct {
	Kind      string        `json:"kind"`
	Count     int           `json:"count"`
	PerSecond float64       `json:"per_second"`
	P50       time.Duration `json:"p50_ns"`
	P90       time.Duration `json:"p90_ns"`
	P99       time.Duration `json:"p99_ns"`
	Max       time.Duration `json:"max_ns"`
	Statuses  map[int]int   `json:"statuses"`
	Errors    int           `json:"errors"`
}

func newReport(o options, elapsed time.Duration, t *tally, late int64) *report {
	rep := &report{Target: o.target, Mix: o.mix.String(), Concurrency: o.concurrency,
		Rate: o.rate, Elapsed: elapsed, Late: late, Statuses: map[int]int{}, soak: o.soak}
	for k := range kinds {
		d := t.took[k]
		slices.Sort(d)
		kr := kindReport{Kind: k.String(), Count: len(d), Statuses: t.statuses[k],
			Errors: t.errs[k], P50: quantile(d, .50), P90: quantile(d, .90),
			P99: quantile(d, .99), Max: quantile(d, 1)}
		kr.PerSecond = float64(kr.Count) / elapsed.Seconds()
		rep.Kinds = append(rep.Kinds, kr)
		rep.Requests += kr.Count
		rep.Errors += kr.Errors
		for s, n := range t.statuses[k] {
			rep.Statuses[s] += n
			if s >= 500 {
				rep.ServerErrs += n
			}
		}
	}
	rep.PerSecond = float64(rep.Requests) / elapsed.Seconds()
	if t.lastErr != nil {
		rep.LastError = t.lastErr.Error()
	}
	return rep
}

// quantile of sorted durations, nearest rank; 0 for none.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (r *report) write(w io.Writer) {
	fmt.Fprintf(w, "target %s, mix %s, concurrency %d", r.Target, r.Mix, r.Concurrency)
	if r.Rate > 0 {
		fmt.Fprintf(w, ", rate %g/s (late ticks %d)", r.Rate, r.Late)
	}
	fmt.Fprintf(w, "\n%d requests in %s: %.1f/s; 5xx %d, errors %d\n",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.PerSecond, r.ServerErrs, r.Errors)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tcount\tper s\tp50\tp90\tp99\tmax\tstatuses\t")
	for _, k := range r.Kinds {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", k.Kind, k.Count, k.PerSecond,
			ms(k.P50), ms(k.P90), ms(k.P99), ms(k.Max), statusText(k.Statuses))
	}
	tw.Flush()
	if r.LastError != "" {
		fmt.Fprintf(w, "last error: %s\n", r.LastError)
	}
	if m := r.Memory; m != nil {
		fmt.Fprintf(w, "server RSS: start %s, end %s, max %s over %d samples\n",
			mib(m.StartKiB), mib(m.EndKiB), mib(m.MaxKiB), len(m.Samples))
		if r.soak {
			fmt.Fprintf(w, "soak: %s\n", m.Verdict)
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func statusText(m map[int]int) string {
	codes := make([]int, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%d:%d", c, m[c])
	}
	return strings.Join(parts, " ")
}

func (r *report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// verdict fails a run that saw a 5xx, an unusable answer, nothing at all,
// or, in a soak, memory that did not stay flat.
func (r *report) verdict() error {
	switch {
	case r.Requests == 0:
		return fmt.Errorf("%w: no request was answered", errFailed)
	case r.ServerErrs > 0 || r.Errors > 0:
		return fmt.Errorf("%w: %d 5xx answers, %d errors", errFailed, r.ServerErrs, r.Errors)
	case r.soak && (r.Memory == nil || !r.Memory.Flat):
		return fmt.Errorf("%w: memory did not stay flat", errFailed)
	}
	return nil
}

// rssKiB reads VmRSS of a process from /proc.
func rssKiB(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("read memory of %d: %w", pid, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("read memory of %d: %w", pid, err)
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}
