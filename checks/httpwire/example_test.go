package httpwire_test

import (
	"fmt"

	"github.com/acme-lab/grader/checks/httpwire"
)

func ExampleParseResponse() {
	raw := []byte("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello!")
	r, err := httpwire.ParseResponse(raw, "GET", true)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d %q\n", r.Status, r.Body)
	for _, d := range r.Deviations {
		fmt.Println(d)
		fmt.Println(httpwire.Caret(raw, d.Offset))
	}
	// Output:
	// 200 "hello"
	// bare-lf at 15: the status line "HTTP/1.1 200 OK" ends with a bare "\n", and so do 2 more lines: HTTP/1.x ends every line with "\r\n"
	// "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello!"
	//                 ^
	// length-mismatch at 40: Content-Length is 5 but 1 more byte followed the body: "!"; for a body of all 6 bytes, send "Content-Length: 6"
	// ..." 200 OK\nContent-Length: 5\n\nhello!"
	//                                        ^
}

func ExampleParseRequest() {
	r, err := httpwire.ParseRequest([]byte("get /index.html HTTP/1.1\r\n\r\n"), true)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Method, r.Target, r.Proto)
	for _, d := range r.Faults() {
		fmt.Println(d)
	}
	// Output:
	// get /index.html HTTP/1.1
	// request-line-malformed at 0: the method "get" is case-sensitive: write "GET"
	// missing-host at 26: the HTTP/1.1 request has no Host header: add a line such as "Host: localhost" before the empty line
}
