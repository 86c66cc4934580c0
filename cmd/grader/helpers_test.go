package main_test

import (
	"github.com/onsi/gomega/gexec"
	"github.com/onsi/gomega/types"
)

func gexecExit(code int) types.GomegaMatcher { return gexec.Exit(code) }
