package admin

import (
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The kinds of fault.
const (
	KindLatency   = "latency"    // wait, then answer as normal
	KindStatus    = "status"     // answer Status with an error body
	KindRateLimit = "rate_limit" // answer 429 with Retry-After
	KindRevoke    = "revoke"     // answer as normal, then revoke the caller's token family
	KindDrop      = "drop"       // close the connection without an answer
)

// MaxLatency bounds a latency fault, under the server's write timeout.
const MaxLatency = 30 * time.Second

// Fault is one injected misbehaviour on the wire.
type Fault struct {
	ID string `json:"id"`
	// Route is an exact path ("/oauth2/token"), a path.Match pattern whose
	// "*" is one segment ("/rest/v1/leerlingen/*"), or, ending in "/*",
	// a prefix ("/rest/v1/resultaten/*" covers everything below).
	Route       string  `json:"route"`
	Method      string  `json:"method,omitempty"` // empty: any
	Kind        string  `json:"kind"`
	Probability float64 `json:"probability"`
	Count       int     `json:"count,omitempty"` // times it may act; 0: no limit
	Seed        *int64  `json:"seed,omitempty"`
	Latency     string  `json:"latency,omitempty"`
	Status      int     `json:"status,omitempty"`
	RetryAfter  int     `json:"retry_after,omitempty"` // seconds
	Applied     int     `json:"applied"`

	latency time.Duration
	rng     *rand.Rand
}

// faultInput is a POST /_opensom/faults body; pointers tell left out from
// zero.
type faultInput struct {
	Route       *string  `json:"route"`
	Method      *string  `json:"method"`
	Kind        *string  `json:"kind"`
	Probability *float64 `json:"probability"`
	Count       *int     `json:"count"`
	Seed        *int64   `json:"seed"`
	Latency     *string  `json:"latency"`
	Status      *int     `json:"status"`
	RetryAfter  *int     `json:"retry_after"`
}

// fault checks in and builds the Fault; the first bad field is the error.
func (in faultInput) fault() (*Fault, *fieldError) {
	f := &Fault{Probability: 1}
	if in.Route == nil || !strings.HasPrefix(*in.Route, "/") {
		return nil, &fieldError{field: "route", msg: `required: a path or pattern starting with "/"`}
	}
	f.Route = *in.Route
	if _, err := path.Match(f.Route, "/"); err != nil {
		return nil, &fieldError{field: "route", msg: "not a valid pattern"}
	}
	if IsAdminPath(f.Route) {
		return nil, &fieldError{field: "route", msg: "faults never apply to " + Prefix}
	}
	if in.Method != nil {
		f.Method = strings.ToUpper(*in.Method)
	}
	if in.Kind == nil {
		return nil, &fieldError{field: "kind",
			msg: "required: latency, status, rate_limit, revoke or drop"}
	}
	f.Kind = *in.Kind
	if err := in.kindFields(f); err != nil {
		return nil, err
	}
	if p := in.Probability; p != nil {
		if *p < 0 || *p > 1 {
			return nil, &fieldError{field: "probability", msg: "want 0 to 1"}
		}
		f.Probability = *p
	}
	if c := in.Count; c != nil {
		if *c < 0 {
			return nil, &fieldError{field: "count", msg: "want 0 (no limit) or more"}
		}
		f.Count = *c
	}
	seed := randomSeed()
	if in.Seed != nil {
		f.Seed = in.Seed
		seed = uint64(*in.Seed)
	}
	f.rng = rand.New(rand.NewPCG(seed, seed^0x6f70656e736f6d))
	return f, nil
}

// kindFields checks the fields that belong to the kind: each kind takes
// its own and refuses the others', so a typo in a kind is not silent.
func (in faultInput) kindFields(f *Fault) *fieldError {
	only := func(name string, set bool, kind string) *fieldError {
		if set && f.Kind != kind {
			return &fieldError{field: name, msg: "only for kind " + kind}
		}
		return nil
	}
	switch f.Kind {
	case KindLatency:
		if in.Latency == nil {
			return &fieldError{field: "latency", msg: `required for kind latency ("2s")`}
		}
		d, err := time.ParseDuration(*in.Latency)
		if err != nil || d <= 0 || d > MaxLatency {
			return &fieldError{field: "latency", msg: "want a duration above 0s, at most 30s"}
		}
		f.Latency, f.latency = d.String(), d
	case KindStatus:
		if in.Status == nil || *in.Status < 400 || *in.Status > 599 {
			return &fieldError{field: "status", msg: "required for kind status: 400 to 599"}
		}
		f.Status = *in.Status
	case KindRateLimit:
		f.Status, f.RetryAfter = http.StatusTooManyRequests, 1
		if in.RetryAfter != nil {
			if *in.RetryAfter < 0 || *in.RetryAfter > 86400 {
				return &fieldError{field: "retry_after", msg: "want 0 to 86400 seconds"}
			}
			f.RetryAfter = *in.RetryAfter
		}
	case KindRevoke, KindDrop:
	default:
		return &fieldError{field: "kind", msg: "want latency, status, rate_limit, revoke or drop"}
	}
	if err := only("latency", in.Latency != nil, KindLatency); err != nil {
		return err
	}
	if err := only("status", in.Status != nil, KindStatus); err != nil {
		return err
	}
	return only("retry_after", in.RetryAfter != nil, KindRateLimit)
}

func randomSeed() uint64 {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

func newFaultID() string {
	var b [6]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// matches reports whether the fault covers a request's method and path.
func (f *Fault) matches(method, p string) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	if base, ok := strings.CutSuffix(f.Route, "/*"); ok {
		if p == base || strings.HasPrefix(p, base+"/") {
			return true
		}
	}
	ok, _ := path.Match(strings.TrimSuffix(f.Route, "/"), strings.TrimSuffix(p, "/"))
	return ok || p == f.Route
}

// terminal faults answer the request themselves.
func (f *Fault) terminal() bool {
	return f.Kind == KindStatus || f.Kind == KindRateLimit || f.Kind == KindDrop
}

// faultList is the faults in the order they were added.
type faultList struct {
	mu   sync.Mutex
	list []*Fault
}

// pick rolls every matching, unspent fault in order and returns copies of
// those that act, up to and including the first that answers the request.
// Rolls happen under the lock, so one seed gives one sequence of outcomes
// for one sequence of requests.
func (fl *faultList) pick(method, p string) []Fault {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	var out []Fault
	for _, f := range fl.list {
		if !f.matches(method, p) || (f.Count > 0 && f.Applied >= f.Count) {
			continue
		}
		if f.rng.Float64() >= f.Probability {
			continue
		}
		f.Applied++
		out = append(out, *f)
		if f.terminal() {
			break
		}
	}
	return out
}

func (fl *faultList) add(f *Fault) Fault {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	f.ID = newFaultID()
	fl.list = append(fl.list, f)
	return *f
}

func (fl *faultList) snapshot() []Fault {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	out := make([]Fault, len(fl.list))
	for i, f := range fl.list {
		out[i] = *f
	}
	return out
}

func (fl *faultList) remove(id string) bool {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	for i, f := range fl.list {
		if f.ID == id {
			fl.list = append(fl.list[:i], fl.list[i+1:]...)
			return true
		}
	}
	return false
}

func (fl *faultList) clear() {
	fl.mu.Lock()
	fl.list = nil
	fl.mu.Unlock()
}

func (a *Admin) addFault(w http.ResponseWriter, r *http.Request) {
	var in faultInput
	if err := decode(r, &in); err != nil {
		badField(w, err)
		return
	}
	f, ferr := in.fault()
	if ferr != nil {
		badField(w, ferr)
		return
	}
	added := a.faults.add(f)
	a.log.Info("fault added", "route", r.Pattern, "fault_route", added.Route,
		"kind", added.Kind)
	writeJSON(w, http.StatusCreated, added)
}

func (a *Admin) listFaults(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]Fault{"faults": a.faults.snapshot()})
}

func (a *Admin) clearFaults(w http.ResponseWriter, r *http.Request) {
	if err := badParam(r); err != nil {
		badField(w, err)
		return
	}
	a.faults.clear()
	w.WriteHeader(http.StatusNoContent)
}

func (a *Admin) deleteFault(w http.ResponseWriter, r *http.Request) {
	if !a.faults.remove(r.PathValue("id")) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such fault", Field: "id"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// retryAfter is the header value of a rate-limit fault.
func retryAfter(f Fault) string { return strconv.Itoa(f.RetryAfter) }
