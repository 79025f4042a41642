// Package netns runs a program in a private network namespace, where the only
// interface is loopback, so that servers it starts cannot be reached from the
// network. Beam 2.77.0's Prism runner listens on every interface (its job server
// calls net.Listen on ":port", and the in-process runner's port also carries the
// FnAPI data plane, the documents' texts) and has no option to bind it to loopback:
// framealign-beam and its tests run Prism inside such a namespace instead.
package netns

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// ErrUnsupported is Isolate's error where private network namespaces are not
// available (not Linux, or user namespaces disabled).
var ErrUnsupported = errors.New("private network namespaces are not available here")

// Isolate runs this program again, with the same arguments, in a new network
// namespace with its loopback interface up, and exits with its exit status: it
// returns only in that child (isolated true), or when no namespace can be made
// (isolated false, with the reason), and then the caller goes on unprotected. env
// names the environment variable that marks the child.
func Isolate(env string) (isolated bool, err error) {
	if os.Getenv(env) == "1" {
		if err := loopbackUp(); err != nil {
			return false, err
		}
		return true, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return false, err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), env+"=1")
	cmd.SysProcAttr = sysProcAttr()
	if cmd.SysProcAttr == nil {
		return false, ErrUnsupported
	}
	// Signals reach the child too (it is in this process group); the parent waits.
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	if err := cmd.Start(); err != nil {
		signal.Reset(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		return false, err
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		os.Exit(0)
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			os.Exit(128 + int(ws.Signal()))
		}
		os.Exit(ee.ExitCode())
	}
	os.Exit(1)
	return false, nil
}

// Interfaces lists the network interfaces this process sees.
func Interfaces() ([]string, error) {
	ifs, err := net.Interfaces()
	var names []string
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	return names, err
}
