package main_test

import (
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
	"github.com/onsi/gomega/types"
)

func gexecExit(code int) types.GomegaMatcher { return gexec.Exit(code) }

func gbytesSay(s string) types.GomegaMatcher { return gbytes.Say(s) }

// jsonResult is the part of the JSON report the specs read.
type jsonResult struct {
	Exercise string `json:"exercise"`
	Seed     uint64 `json:"seed"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Sandbox  string `json:"sandbox"`
	Checks   []struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Message string `json:"message"`
	} `json:"checks"`
}

func messageOf(res jsonResult, id string) string {
	for _, c := range res.Checks {
		if c.ID == id {
			return c.Message
		}
	}
	return "no such check in the result"
}
