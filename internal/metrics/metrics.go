// Package metrics owns opensom's Prometheus registry and the collectors an
// operator reads at /metrics: requests by route and status, their latency,
// token grants by type and outcome, failed logins and database pool use.
// It keeps its own registry rather than the global one, so that two servers
// in one test process never share or clash over counters.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the set of collectors of one server. It implements
// httpx.Observer and auth.Metrics; it is safe for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	grants   *prometheus.CounterVec
	failures *prometheus.CounterVec
}

// latencyBuckets run from half a millisecond, what a cached page costs on
// loopback, to ten seconds, past every timeout we set.
var latencyBuckets = []float64{
	.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10,
}

// New makes the collectors and registers them, with the Go runtime and
// process collectors (memory, goroutines, open files) beside them.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opensom_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "opensom_http_request_duration_seconds",
			Help:    "Time from reading a request to its last byte written, by route pattern.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		grants: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opensom_token_grants_total",
			Help: "Token endpoint answers, by grant type and outcome (ok or an OAuth2 error).",
		}, []string{"grant_type", "outcome"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "opensom_login_failures_total",
			Help: "Failed credential checks, by where they happened.",
		}, []string{"where"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.grants, m.failures,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the collectors live in, for tests and for
// callers that add collectors of their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest counts one finished request (httpx.Observer).
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// Grant counts one token-endpoint answer (auth.Metrics).
func (m *Metrics) Grant(grantType, outcome string) {
	m.grants.WithLabelValues(grantType, outcome).Inc()
}

// LoginFailed counts one failed credential check (auth.Metrics).
func (m *Metrics) LoginFailed(where string) {
	m.failures.WithLabelValues(where).Inc()
}

// PoolStats is what a store offers to have its connection pool watched.
type PoolStats interface {
	Stats() sql.DBStats
}

// WatchPool exports the pool use of p, read afresh at every scrape.
func (m *Metrics) WatchPool(p PoolStats) error {
	return m.reg.Register(poolCollector{p: p})
}

// poolCollector turns sql.DBStats into metrics at scrape time, so there is
// no goroutine polling the pool between scrapes.
type poolCollector struct{ p PoolStats }

var (
	poolMaxOpen = prometheus.NewDesc("opensom_db_max_open_connections",
		"Most connections the pool may open.", nil, nil)
	poolOpen = prometheus.NewDesc("opensom_db_open_connections",
		"Connections open, in use or idle.", nil, nil)
	poolInUse = prometheus.NewDesc("opensom_db_in_use_connections",
		"Connections running a query or holding a transaction.", nil, nil)
	poolIdle = prometheus.NewDesc("opensom_db_idle_connections",
		"Connections open and idle.", nil, nil)
	poolWaits = prometheus.NewDesc("opensom_db_wait_count_total",
		"Times a query waited for a free connection.", nil, nil)
	poolWaited = prometheus.NewDesc("opensom_db_wait_duration_seconds_total",
		"Time spent waiting for a free connection.", nil, nil)
	poolClosedIdle = prometheus.NewDesc("opensom_db_closed_max_idle_total",
		"Connections closed because the idle pool was full.", nil, nil)
	poolClosedLife = prometheus.NewDesc("opensom_db_closed_max_lifetime_total",
		"Connections closed because they reached their lifetime.", nil, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMaxOpen, poolOpen, poolInUse, poolIdle,
		poolWaits, poolWaited, poolClosedIdle, poolClosedLife} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.p.Stats()
	gauge, counter := prometheus.GaugeValue, prometheus.CounterValue
	ch <- prometheus.MustNewConstMetric(poolMaxOpen, gauge, float64(s.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(poolOpen, gauge, float64(s.OpenConnections))
	ch <- prometheus.MustNewConstMetric(poolInUse, gauge, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(poolIdle, gauge, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(poolWaits, counter, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWaited, counter, s.WaitDuration.Seconds())
	ch <- prometheus.MustNewConstMetric(poolClosedIdle, counter, float64(s.MaxIdleClosed))
	ch <- prometheus.MustNewConstMetric(poolClosedLife, counter,
		float64(s.MaxLifetimeClosed))
}
