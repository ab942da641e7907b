package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the counters /metrics shows. Hub counters are read when
// scraped, so the hot path only pays for the post latency histogram.
type metrics struct {
	reg          *prometheus.Registry
	posted       prometheus.Counter
	postDuration prometheus.Histogram
	renderErrors prometheus.Counter
}

func (h *Handler) newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		posted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "minidiscord_messages_posted_total", Help: "Messages stored.",
		}),
		postDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "minidiscord_post_duration_seconds",
			Help:    "Time from receiving a post to its commit and publication.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		renderErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "minidiscord_render_errors_total", Help: "Events not sent live because their component failed to render.",
		}),
	}
	stat := func(name, help string, kind prometheus.ValueType, f func() float64) prometheus.Collector {
		if kind == prometheus.CounterValue {
			return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
		}
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	m.reg.MustRegister(
		m.posted, m.postDuration, m.renderErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		stat("minidiscord_open_streams", "Open SSE streams.", prometheus.GaugeValue,
			func() float64 { return float64(h.hub.Stats().Streams) }),
		stat("minidiscord_active_rooms", "Rooms with streams or people online.", prometheus.GaugeValue,
			func() float64 { return float64(h.hub.Stats().Rooms) }),
		stat("minidiscord_events_published_total", "Events published to rooms.", prometheus.CounterValue,
			func() float64 { return float64(h.hub.Stats().Published) }),
		stat("minidiscord_events_delivered_total", "Events queued to subscribers.", prometheus.CounterValue,
			func() float64 { return float64(h.hub.Stats().Delivered) }),
		stat("minidiscord_slow_subscribers_dropped_total", "Subscribers dropped for not keeping up.", prometheus.CounterValue,
			func() float64 { return float64(h.hub.Stats().Dropped) }),
	)
	return m
}

// metricsHandler serves the Prometheus text. It is not one of the site's
// routes: cmd/minidiscord serves it on a listener of its own
// (-metrics-addr), because a check of the client's address cannot tell a
// scraper on this host from anyone on the internet coming through a reverse
// proxy on this host (docs/deploy.md).
func (h *Handler) metricsHandler() http.Handler {
	return promhttp.HandlerFor(h.metrics.reg, promhttp.HandlerOpts{})
}

// Metrics is the app's Prometheus text, for a listener of its own.
func (a *App) Metrics() http.Handler { return a.Handler.metricsHandler() }

// showHealth answers 200 while the database answers.
func (h *Handler) showHealth(c *gin.Context) {
	if err := h.store.DB().PingContext(c.Request.Context()); err != nil {
		h.log.Error("health", "err", err)
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}
