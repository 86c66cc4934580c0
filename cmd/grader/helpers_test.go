package main_test

import (
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
	"github.com/onsi/gomega/types"
)

func gexecExit(code int) types.GomegaMatcher { return gexec.Exit(code) }

func gbytesSay(s string) types.GomegaMatcher { return gbytes.Say(s) }
