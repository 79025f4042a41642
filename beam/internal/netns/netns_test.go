package netns

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	if _, err := Isolate("FRAMEALIGN_NETNS_TEST"); err != nil {
		println("netns: not isolated:", err.Error())
	}
	os.Exit(m.Run())
}

// TestOnlyLoopback: inside, the only interface is lo, and it is up: a server on
// ":0" (every interface, as Prism listens) is reachable on 127.0.0.1 and from
// nowhere else, since nothing else exists.
func TestOnlyLoopback(t *testing.T) {
	if os.Getenv("FRAMEALIGN_NETNS_TEST") != "1" {
		t.Skip("no private network namespace on this system")
	}
	names, err := Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "lo" {
		t.Fatalf("interfaces %v, want only lo", names)
	}
	lis, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	go func() {
		if c, err := lis.Accept(); err == nil {
			c.Close()
		}
	}()
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", lis.Addr().(*net.TCPAddr).Port))
	if err != nil {
		t.Fatalf("loopback not usable: %v", err)
	}
	c.Close()
}
