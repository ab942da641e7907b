package e2e

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/security"
	"github.com/chromedp/chromedp"

	"github.com/minidiscord/minidiscord/models"
)

// TestEightTabsOverHTTPS: one person opens a room in 8 tabs of one browser,
// against the binary serving HTTPS itself (-tls-cert). Over HTTP/1.1 the
// browser would give a host 6 connections, each tab's stream holds one,
// and the 7th tab would never go live; over HTTP/2 all 8 share one
// connection, and a message reaches all 8.
func TestEightTabsOverHTTPS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	b := newBrowser(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "minidiscord")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/minidiscord").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cert, key := selfSignedCert(t, dir, "127.0.0.1")
	db := filepath.Join(dir, "chat.db")
	store, err := models.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := models.HashPassword(password, 4)
	if _, err := store.CreateUser(t.Context(), "tabs", hash, false); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GetOrCreateRoom(t.Context(), "general"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	base := "https://" + startBinary(t, bin, "-db", db, "-tls-cert", cert, "-tls-key", key, "-bcrypt-cost", "4")

	// The first tab, in a browser context of its own; the other seven in
	// the same context, as tabs of one browser window are. The certificate
	// is the test's own, so each tab is told to accept it.
	app := &testApp{t: t, url: base}
	var tabs []*tab
	var parent context.Context = b.ctx
	for i := range 8 {
		var opts []chromedp.ContextOption
		if i == 0 {
			opts = append(opts, chromedp.WithNewBrowserContext())
		}
		ctx, cancel := chromedp.NewContext(parent, opts...)
		tb := &tab{t: t, app: app, name: fmt.Sprintf("tab %d", i+1), ctx: ctx, cancel: cancel}
		t.Cleanup(tb.close)
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("open %s: %v", tb.name, err)
		}
		tb.watchConsole()
		tb.do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := cdp.Call(ctx, target, security.SetIgnoreCertificateErrors, security.SetIgnoreCertificateErrorsParams{Ignore: true})
			return err
		}))
		if i == 0 {
			tb.goTo("/accounts/login/")
			tb.fill("id_username", "tabs")
			tb.fill("id_password", password)
			tb.submit("login-form")
			tb.waitFor("the login", `document.querySelector("[data-testid=whoami]")?.textContent.trim() === "tabs"`, 10*time.Second)
			parent = ctx
		}
		tb.enterRoom("general") // waits until its stream is live
		tabs = append(tabs, tb)
	}
	for _, tb := range tabs {
		if proto := eval[string](tb, `performance.getEntriesByType("navigation")[0].nextHopProtocol`); proto != "h2" {
			t.Errorf("%s loaded the room over %q, want h2", tb.name, proto)
		}
	}
	tabs[7].say("one message for eight tabs")
	for _, tb := range tabs {
		tb.waitForMessage("one message for eight tabs")
	}
}

// startBinary runs the built server on a free loopback port until the
// test ends and returns its address once it serves.
func startBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"-addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), "MINIDISCORD_RATE_LIMITS=off")
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); pw.Close() })
	ready := make(chan struct{})
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		started := false
		for sc.Scan() {
			if !started {
				select {
				case lines <- sc.Text():
				default:
				}
				if strings.Contains(sc.Text(), "msg=serving") {
					started = true
					close(ready)
				}
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		var out strings.Builder
		for len(lines) > 0 {
			out.WriteString(<-lines + "\n")
		}
		t.Fatalf("the server did not start:\n%s", out.String())
	}
	return addr
}

// selfSignedCert writes a certificate for host and its key into dir.
func selfSignedCert(t *testing.T, dir, host string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP(host)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}
