package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"github.com/minidiscord/minidiscord/models"
)

// HTTPS from the binary itself, with HTTP/2: over HTTP/1.1 a browser opens
// at most 6 connections to a host and every open room tab holds a stream,
// so a seventh tab would hang; HTTP/2 carries them all on one connection.
// Either certificate files (-tls-cert, -tls-key) or ACME (-domain, with
// golang.org/x/crypto/acme/autocert) supply the certificate.

// httpsConfig is the HTTPS part of config.
type httpsConfig struct {
	cert, key     string
	domains       []string
	acmeCache     string
	acmeDirectory string
	acmeEmail     string
	// httpAddr is where plain HTTP is answered with a redirect to HTTPS
	// (and ACME http-01 challenges); "" for nowhere.
	httpAddr string
}

func (h httpsConfig) on() bool { return h.cert != "" || len(h.domains) > 0 }

// httpsFlags registers the HTTPS settings; the returned check reads them
// into cfg once the flags are parsed (it also settles -addr's default).
func httpsFlags(fset *flag.FlagSet, cfg *config, env *environment) (check func() error) {
	getenv := env.getenv
	h := &cfg.https
	fset.StringVar(&h.cert, "tls-cert", getenv("MINIDISCORD_TLS_CERT"), "PEM certificate file (with its chain): serve HTTPS and HTTP/2 on -addr with it and -tls-key; re-read when it changes (env MINIDISCORD_TLS_CERT)")
	fset.StringVar(&h.key, "tls-key", getenv("MINIDISCORD_TLS_KEY"), "PEM private key file of -tls-cert (env MINIDISCORD_TLS_KEY)")
	domains := fset.String("domain", getenv("MINIDISCORD_DOMAIN"), "serve HTTPS and HTTP/2 for this domain name (several: comma-separated) with certificates obtained and renewed over ACME (Let's Encrypt); -addr then defaults to :443 and -http-addr to :80 (env MINIDISCORD_DOMAIN)")
	fset.StringVar(&h.acmeCache, "acme-cache", getenv("MINIDISCORD_ACME_CACHE"), "with -domain, the directory keeping the ACME account key and certificates; default <db>.acme beside an SQLite database, minidiscord-acme otherwise (env MINIDISCORD_ACME_CACHE)")
	fset.StringVar(&h.acmeDirectory, "acme-directory", env.str("MINIDISCORD_ACME_DIRECTORY", acme.LetsEncryptURL), "with -domain, the ACME directory URL; Let's Encrypt's staging one is https://acme-staging-v02.api.letsencrypt.org/directory (env MINIDISCORD_ACME_DIRECTORY)")
	fset.StringVar(&h.acmeEmail, "acme-email", getenv("MINIDISCORD_ACME_EMAIL"), "with -domain, a contact address the certificate authority may write to about the certificates (env MINIDISCORD_ACME_EMAIL)")
	httpAddr := fset.String("http-addr", getenv("MINIDISCORD_HTTP_ADDR"), "with HTTPS, also listen for plain HTTP here and redirect it to HTTPS; default :80 with -domain (it also answers ACME challenges there), none with -tls-cert; off for none (env MINIDISCORD_HTTP_ADDR)")

	return func() error {
		set := map[string]bool{}
		fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for d := range strings.SplitSeq(*domains, ",") {
			if d = strings.TrimSpace(d); d == "" {
				continue
			}
			if strings.ContainsAny(d, ":/ @") || net.ParseIP(d) != nil {
				return fmt.Errorf("-domain %q: want a domain name such as chat.example.com", d)
			}
			h.domains = append(h.domains, strings.ToLower(d))
		}
		switch {
		case (h.cert == "") != (h.key == ""):
			return errors.New("-tls-cert and -tls-key go together")
		case h.cert != "" && len(h.domains) > 0:
			return errors.New("-domain gets its certificates over ACME: give it or -tls-cert, not both")
		case h.cert != "":
			if _, err := tls.LoadX509KeyPair(h.cert, h.key); err != nil {
				return fmt.Errorf("-tls-cert/-tls-key: %w", err)
			}
		}
		if len(h.domains) > 0 {
			if !set["addr"] && getenv("MINIDISCORD_ADDR") == "" {
				cfg.addr = ":443"
			}
			if !set["http-addr"] && getenv("MINIDISCORD_HTTP_ADDR") == "" {
				*httpAddr = ":80"
			}
			if h.acmeCache == "" {
				h.acmeCache = "minidiscord-acme"
				if !models.IsPostgres(cfg.db) {
					h.acmeCache = cfg.db + ".acme"
				}
			}
		}
		if *httpAddr != "off" {
			h.httpAddr = *httpAddr
		}
		if h.httpAddr != "" && !h.on() {
			return errors.New("-http-addr redirects to HTTPS: it needs -tls-cert or -domain")
		}
		if h.on() {
			cfg.secureCookies = true // the cookie never leaves over plain HTTP
		}
		return nil
	}
}

// startServing serves srv on ln: plain HTTP, or HTTPS with HTTP/2 as cfg
// says, and with -http-addr a second server redirecting plain HTTP there.
// Serve errors go to errc. It returns the URL served and what shuts both
// servers down.
func startServing(cfg config, log *slog.Logger, srv *http.Server, ln net.Listener, errc chan<- error) (string, func(context.Context) error, error) {
	if !cfg.https.on() {
		go func() { errc <- srv.Serve(ln) }()
		return "http://" + ln.Addr().String(), srv.Shutdown, nil
	}
	redirect := redirectToHTTPS(ln.Addr().String(), cfg.https.domains)
	plain := http.Handler(redirect)
	if cfg.https.cert != "" {
		kp := &keyPair{cert: cfg.https.cert, key: cfg.https.key, log: log}
		srv.TLSConfig = &tls.Config{GetCertificate: kp.get, MinVersion: tls.VersionTLS12}
	} else {
		if err := os.MkdirAll(cfg.https.acmeCache, 0o700); err != nil {
			return "", nil, fmt.Errorf("-acme-cache: %w", err)
		}
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			HostPolicy: autocert.HostWhitelist(cfg.https.domains...),
			Cache:      autocert.DirCache(cfg.https.acmeCache),
			Email:      cfg.https.acmeEmail,
			Client:     &acme.Client{DirectoryURL: cfg.https.acmeDirectory},
		}
		srv.TLSConfig = m.TLSConfig() // h2, http/1.1 and the tls-alpn-01 challenge
		srv.TLSConfig.MinVersion = tls.VersionTLS12
		plain = m.HTTPHandler(redirect) // http-01 challenges, then the redirect
	}
	// ServeTLS adds HTTP/2 to the config it is given.
	go func() { errc <- srv.ServeTLS(ln, "", "") }()

	url := "https://" + ln.Addr().String()
	if len(cfg.https.domains) > 0 {
		url = "https://" + cfg.https.domains[0]
	}
	var hsrv *http.Server
	if cfg.https.httpAddr != "" {
		hln, err := net.Listen("tcp", cfg.https.httpAddr)
		if err != nil {
			srv.Close()
			return "", nil, fmt.Errorf("-http-addr: %w", err)
		}
		hsrv = &http.Server{
			Handler:           plain,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          srv.ErrorLog,
		}
		go func() { errc <- hsrv.Serve(hln) }()
		log.Info("redirecting plain HTTP to HTTPS", "addr", hln.Addr().String())
	}
	shutdown := func(ctx context.Context) error {
		var err error
		if hsrv != nil {
			err = hsrv.Shutdown(ctx)
		}
		return errors.Join(err, srv.Shutdown(ctx))
	}
	return url, shutdown, nil
}

// redirectToHTTPS sends a plain HTTP request to the same address over
// HTTPS: to the configured domain when there is one, else to the host the
// request named, on the HTTPS port.
func redirectToHTTPS(httpsAddr string, domains []string) http.Handler {
	_, port, _ := net.SplitHostPort(httpsAddr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.Trim(host, "[]"))
		if len(domains) > 0 && !containsString(domains, host) {
			host = domains[0]
		}
		if !validHost(host) {
			http.Error(w, "This address is served over HTTPS.", http.StatusBadRequest)
			return
		}
		if port != "" && port != "443" {
			host = net.JoinHostPort(host, port)
		} else if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		status := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			status = http.StatusPermanentRedirect // keeps the method and body
		}
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), status)
	})
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// validHost: a DNS name or an IP address, nothing that could bend the URL.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// keyPair serves -tls-cert and -tls-key, read again when either file
// changes (a renewal by certbot, say), checked at most every 10 s.
type keyPair struct {
	cert, key string
	log       *slog.Logger

	mu      sync.Mutex
	current *tls.Certificate
	mtime   time.Time
	checked time.Time
}

func (k *keyPair) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.current != nil && time.Since(k.checked) < 10*time.Second {
		return k.current, nil
	}
	k.checked = time.Now()
	var newest time.Time
	for _, p := range []string{k.cert, k.key} {
		if fi, err := os.Stat(p); err == nil && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	if k.current != nil && !newest.After(k.mtime) {
		return k.current, nil
	}
	c, err := tls.LoadX509KeyPair(k.cert, k.key)
	if err != nil {
		if k.current != nil {
			// Half-written during a renewal, say: keep serving the old one.
			k.log.Warn("reloading the TLS certificate failed; keeping the previous one", "err", err)
			return k.current, nil
		}
		return nil, err
	}
	if k.current != nil {
		k.log.Info("TLS certificate reloaded", "cert", k.cert)
	}
	k.current, k.mtime = &c, newest
	return k.current, nil
}
