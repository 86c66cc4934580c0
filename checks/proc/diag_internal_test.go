//go:build linux

package proc

import (
	"syscall"
	"testing"
)

func BenchmarkSockDiagQuery(b *testing.B) {
	for b.Loop() {
		if _, err := listenSockets(syscall.AF_INET); err != nil {
			b.Fatal(err)
		}
	}
}
