package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for hosts (names or IP
// addresses) and its key into dir, and returns their paths and a pool that
// trusts it.
func selfSigned(t *testing.T, dir, name string, hosts ...string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// process is a command started by a test.
type process struct {
	cmd *exec.Cmd
	out *syncWriter
}

// stop kills the process and waits for it to exit.
func (p *process) stop() { p.cmd.Process.Kill(); p.cmd.Wait() }

// startProcess runs a command until the test ends and waits for a line
// of its output containing ready.
func startProcess(t *testing.T, env []string, ready string, name string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out := &syncWriter{}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		seen := false
		for sc.Scan() {
			fmt.Fprintln(out, sc.Text())
			if !seen && strings.Contains(sc.Text(), ready) {
				seen = true
				close(found)
			}
		}
	}()
	p := &process{cmd: cmd, out: out}
	t.Cleanup(func() { p.stop(); pw.Close() })
	select {
	case <-found:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not print %q within 30 s:\n%s", filepath.Base(name), ready, out.String())
	}
	return p
}

// noRedirects is a client that shows redirects instead of following them.
func noRedirects(tr *http.Transport) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: tr, Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestServeTLSFiles serves HTTPS with HTTP/2 from certificate files, with
// plain HTTP redirected and the session cookie marked Secure.
func TestServeTLSFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	cert, key, pool := selfSigned(t, dir, "server", "localhost", "127.0.0.1")
	addr, httpAddr := freeAddr(t), freeAddr(t)
	startProcess(t, []string{"MINIDISCORD_TLS_KEY=" + key}, "msg=serving", buildBinary(t),
		"-db", filepath.Join(dir, "chat.db"), "-addr", addr, "-http-addr", httpAddr, "-tls-cert", cert, "-bcrypt-cost", "4")

	c := noRedirects(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true})
	base := "https://" + addr
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Proto != "HTTP/2.0" {
		t.Errorf("GET /healthz over TLS: %d %s, want 200 over HTTP/2", resp.StatusCode, resp.Proto)
	}
	pw := "correct horse tls"
	for _, step := range []struct{ path, want string }{{"/user/signup/", ""}, {"/accounts/login/", "Secure"}} {
		resp, err := c.PostForm(base+step.path, url.Values{"username": {"tls"}, "password": {pw}, "password1": {pw}, "password2": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", step.path, resp.StatusCode)
		}
		if step.want != "" && !strings.Contains(resp.Header.Get("Set-Cookie"), "; Secure") {
			t.Errorf("session cookie not Secure: %q", resp.Header.Get("Set-Cookie"))
		}
	}

	_, httpsPort, _ := net.SplitHostPort(addr)
	for _, tc := range []struct{ method, host, path, location string }{
		{"GET", "localhost", "/chat/?x=1", "https://localhost:" + httpsPort + "/chat/?x=1"},
		{"POST", "127.0.0.1", "/accounts/login/", "https://127.0.0.1:" + httpsPort + "/accounts/login/"},
		{"GET", "evil.example/x", "/", ""},
	} {
		req, _ := http.NewRequest(tc.method, "http://"+httpAddr+tc.path, nil)
		req.Host = tc.host
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != tc.location || (tc.location == "") != (resp.StatusCode == http.StatusBadRequest) {
			t.Errorf("%s http://%s%s: %d %q, want %q", tc.method, tc.host, tc.path, resp.StatusCode, got, tc.location)
		}
	}
}

func TestHTTPSSettings(t *testing.T) {
	dir := t.TempDir()
	cert, key, _ := selfSigned(t, dir, "s", "localhost")
	for _, tc := range []struct {
		args                  []string
		env                   []string
		wantErr               string
		addr, httpAddr, cache string
	}{
		{args: []string{"-tls-cert", cert}, wantErr: "-tls-cert and -tls-key go together"},
		{args: []string{"-tls-cert", cert, "-tls-key", cert}, wantErr: "-tls-cert/-tls-key"},
		{args: []string{"-tls-cert", cert, "-tls-key", key, "-domain", "a.example"}, wantErr: "not both"},
		{args: []string{"-domain", "https://a.example"}, wantErr: "want a domain name"},
		{args: []string{"-http-addr", ":8080"}, wantErr: "needs -tls-cert or -domain"},
		{args: []string{"-tls-cert", cert, "-tls-key", key}, addr: "127.0.0.1:8000"},
		{args: []string{"-domain", "Chat.Example.com", "-db", "x.db"}, addr: ":443", httpAddr: ":80", cache: "x.db.acme"},
		{args: []string{"-domain", "chat.example.com", "-addr", ":8443", "-http-addr", "off"}, addr: ":8443", cache: "minidiscord.db.acme"},
		{env: []string{"MINIDISCORD_DOMAIN", "chat.example.com", "MINIDISCORD_ADDR", ":9443", "MINIDISCORD_HTTP_ADDR", ":9080", "MINIDISCORD_ACME_CACHE", "/var/acme"}, addr: ":9443", httpAddr: ":9080", cache: "/var/acme"},
	} {
		cfg, err := parseServeFlags(tc.args, env(tc.env...), io.Discard)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v: err %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v %v: %v", tc.args, tc.env, err)
			continue
		}
		if cfg.addr != tc.addr || cfg.https.httpAddr != tc.httpAddr || cfg.https.acmeCache != tc.cache || !cfg.secureCookies {
			t.Errorf("%v %v: addr %q http %q cache %q secure %v", tc.args, tc.env, cfg.addr, cfg.https.httpAddr, cfg.https.acmeCache, cfg.secureCookies)
		}
	}
}

// TestKeyPairReloads: a renewed certificate file is served from the next
// check on; a broken one leaves the previous in service.
func TestKeyPairReloads(t *testing.T) {
	dir := t.TempDir()
	certA, keyA, _ := selfSigned(t, dir, "a", "localhost")
	kp := &keyPair{cert: filepath.Join(dir, "cert.pem"), key: filepath.Join(dir, "key.pem"), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	install := func(cert, key string, at time.Time) {
		for src, dst := range map[string]string{cert: kp.cert, key: kp.key} {
			b, _ := os.ReadFile(src)
			os.WriteFile(dst, b, 0o600)
			os.Chtimes(dst, at, at)
		}
	}
	serial := func() string {
		c, err := kp.get(nil)
		if err != nil {
			t.Fatal(err)
		}
		leaf, _ := x509.ParseCertificate(c.Certificate[0])
		return leaf.Subject.CommonName
	}
	install(certA, keyA, time.Now().Add(-time.Hour))
	if got := serial(); got != "a" {
		t.Fatalf("serving %q", got)
	}
	certB, keyB, _ := selfSigned(t, dir, "b", "localhost")
	install(certB, keyB, time.Now())
	if got := serial(); got != "a" {
		t.Errorf("reloaded within 10 s of the last check: %q", got)
	}
	kp.checked = time.Time{} // the next check is due
	if got := serial(); got != "b" {
		t.Errorf("after renewal serving %q, want b", got)
	}
	os.WriteFile(kp.cert, []byte("half-written"), 0o600)
	os.Chtimes(kp.cert, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	kp.checked = time.Time{}
	if got := serial(); got != "b" {
		t.Errorf("after a broken renewal serving %q, want b still", got)
	}
}

// TestACMEWithPebble gets a certificate from Let's Encrypt's test server,
// pebble, run here, for a domain its DNS server (pebble-challtestsrv) points
// at this machine: pebble checks the challenge against the running binary,
// which then serves HTTPS with HTTP/2 under that certificate, redirects
// plain HTTP, and serves it again after a restart from its cache without
// asking pebble. Both tools are pinned in tools.mod, not in the app's go.mod.
func TestACMEWithPebble(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs pebble and the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	tools := filepath.Join(dir, "tools") + string(filepath.Separator)
	build := exec.Command("go", "build", "-modfile=../../tools.mod", "-o", tools,
		"github.com/letsencrypt/pebble/v2/cmd/pebble", "github.com/letsencrypt/pebble/v2/cmd/pebble-challtestsrv")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build pebble (pinned in tools.mod): %v\n%s", err, out)
	}

	const domain = "chat.minidiscord.test"
	dnsAddr := freeUDPAddr(t)
	startProcess(t, nil, "Creating TCP and UDP DNS server", tools+"pebble-challtestsrv",
		"-dnsserver", dnsAddr, "-management", freeAddr(t), "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "")

	// Pebble's own API is HTTPS, under a certificate the binary is told to
	// trust through SSL_CERT_FILE, as for any private ACME server.
	apiCert, apiKey, apiPool := selfSigned(t, dir, "pebble-api", "127.0.0.1", "localhost")
	listen, mgmt, https, plain := freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	_, httpsPort, _ := net.SplitHostPort(https)
	_, plainPort, _ := net.SplitHostPort(plain)
	var conf struct {
		Pebble map[string]any `json:"pebble"`
	}
	conf.Pebble = map[string]any{
		"listenAddress": listen, "managementListenAddress": mgmt,
		"certificate": apiCert, "privateKey": apiKey,
		"httpPort": atoi(t, plainPort), "tlsPort": atoi(t, httpsPort),
		"ocspResponderURL": "", "externalAccountBindingRequired": false,
		"profiles": map[string]any{"default": map[string]any{"description": "default", "validityPeriod": 7776000}},
	}
	confFile := filepath.Join(dir, "pebble.json")
	b, _ := json.Marshal(conf)
	os.WriteFile(confFile, b, 0o600)
	startProcess(t, []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"}, "ACME directory available", tools+"pebble",
		"-config", confFile, "-dnsserver", dnsAddr)

	bin := buildBinary(t)
	db := filepath.Join(dir, "chat.db")
	args := func(directory string) []string {
		return []string{"-db", db, "-domain", domain, "-addr", https, "-http-addr", plain,
			"-acme-directory", directory, "-acme-email", "ops@minidiscord.test"}
	}
	env := []string{"SSL_CERT_FILE=" + apiCert}
	server := startProcess(t, env, "msg=serving", bin, args("https://"+listen+"/dir")...)

	// Trust pebble's root, as a browser trusts Let's Encrypt's.
	api := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: apiPool}}}
	resp, err := api.Get("https://" + mgmt + "/roots/0")
	if err != nil {
		t.Fatal(err)
	}
	rootPEM, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		t.Fatalf("pebble's root: %s", rootPEM)
	}
	dialHere := func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+port)
	}
	c := noRedirects(&http.Transport{DialContext: dialHere, TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true})
	site := "https://" + domain + ":" + httpsPort
	get := func() *http.Response {
		t.Helper()
		resp, err := c.Get(site + "/healthz")
		if err != nil {
			t.Fatalf("GET %s/healthz: %v", site, err)
		}
		resp.Body.Close()
		return resp
	}
	// The first handshake has the certificate issued. On a loaded machine
	// an issuance can fail (pebble's validation times out) and the
	// handshake with it; the next handshake asks again, as a browser's
	// retry would.
	for try := 1; ; try++ {
		r, err := c.Get(site + "/healthz")
		if err == nil {
			r.Body.Close()
			resp = r
			break
		}
		if try == 3 {
			t.Fatalf("GET %s/healthz, 3 tries: %v", site, err)
		}
		t.Logf("try %d: %v", try, err)
	}
	leaf := resp.TLS.PeerCertificates[0]
	if resp.StatusCode != http.StatusOK || resp.Proto != "HTTP/2.0" || leaf.VerifyHostname(domain) != nil {
		t.Fatalf("over ACME: %d %s, certificate for %v", resp.StatusCode, resp.Proto, leaf.DNSNames)
	}
	t.Logf("certificate from pebble: serial %x, issuer %q, until %s", leaf.SerialNumber, leaf.Issuer.CommonName, leaf.NotAfter.Format(time.DateOnly))

	req, _ := http.NewRequest("GET", "http://"+plain+"/chat/", nil)
	req.Host = domain
	if resp, err := c.Do(req); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.Header.Get("Location") != site+"/chat/" {
		t.Errorf("plain HTTP: %d %q, want a redirect to %s/chat/", resp.StatusCode, resp.Header.Get("Location"), site)
	}
	if _, err := os.Stat(filepath.Join(db+".acme", domain)); err != nil {
		t.Errorf("the certificate is not in the cache beside the database: %v", err)
	}

	// Restart with an ACME server that is gone: the cached certificate
	// is served.
	c.CloseIdleConnections()
	server.stop()
	startProcess(t, env, "msg=serving", bin, args("https://127.0.0.1:1/dir")...)
	if again := get().TLS.PeerCertificates[0]; again.SerialNumber.Cmp(leaf.SerialNumber) != 0 {
		t.Errorf("after a restart, serial %x, want the cached %x", again.SerialNumber, leaf.SerialNumber)
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func freeUDPAddr(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	return pc.LocalAddr().String()
}
