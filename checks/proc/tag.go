package proc

import (
	"crypto/rand"
	"encoding/hex"
)

func newTag() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
