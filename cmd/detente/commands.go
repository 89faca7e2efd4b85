package main

import "github.com/spf13/cobra"

// extraCommands are commands that register themselves from their own file
// (in an init function), so adding one does not touch the root's list.
var extraCommands []func() *cobra.Command
