package main_test

import (
	"encoding/json"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The curl check of http-form sends the bytes that curl itself sends; this
// proves it against the real curl (scripts/setup.sh installs it), so that a
// new curl that changes its request shows up here.
var _ = Describe("http-form's curl check", Serial, func() {
	It("sends exactly what curl -X POST -d sends, but for the address and curl's version", func() {
		s := grader("check", "http-form", "--dir", "fixtures/http-form/good-httpserver", "--format", "json", "--seed", "77")
		var res struct {
			Checks []struct {
				ID         string `json:"id"`
				Transcript []struct {
					Kind string `json:"kind"`
					Data string `json:"data"`
				} `json:"transcript"`
			} `json:"checks"`
		}
		Expect(json.Unmarshal(s.Out.Contents(), &res)).To(Succeed())
		sent := ""
		for _, c := range res.Checks {
			for _, e := range c.Transcript {
				if c.ID == "curl" && e.Kind == "send" && sent == "" {
					sent = e.Data
				}
			}
		}
		Expect(sent).To(HavePrefix("POST /form HTTP/1.1\r\n"))
		date := regexp.MustCompile(`date=(\d+)`).FindStringSubmatch(sent)
		Expect(date).To(HaveLen(2))

		l, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer l.Close()
		got := make(chan string, 1)
		go func() {
			defer GinkgoRecover()
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			buf := make([]byte, 4096)
			var req []byte
			for !strings.Contains(string(req), "beep boop!") {
				n, err := c.Read(buf)
				req = append(req, buf[:n]...)
				if err == io.EOF || err != nil {
					break
				}
			}
			got <- string(req)
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"))
		}()
		curl := exec.Command("curl", "-s", "-X", "POST", "http://"+l.Addr().String()+"/form",
			"-d", "title=whatever", "-d", "date="+date[1], "-d", "body=beep boop!")
		Expect(curl.Run()).To(Succeed())
		var real string
		Eventually(got).WithTimeout(5 * time.Second).Should(Receive(&real))

		normal := func(req string) string {
			req = regexp.MustCompile(`(?m)^Host: .*\r$`).ReplaceAllString(req, "Host: ADDRESS\r")
			return regexp.MustCompile(`(?m)^User-Agent: curl/[^\r]*\r$`).ReplaceAllString(req, "User-Agent: curl/VERSION\r")
		}
		Expect(normal(sent)).To(Equal(normal(real)))
	})
})
