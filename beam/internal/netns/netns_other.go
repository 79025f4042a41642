//go:build !linux

package netns

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }

func loopbackUp() error { return ErrUnsupported }
