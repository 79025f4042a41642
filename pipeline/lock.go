package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrLocked is returned when another live run holds the output folder.
var ErrLocked = errors.New("output folder is in use")

// lock is the output folder's lock file, holding the PID of the run that owns it.
type lock struct{ path string }

// acquireLock takes the lock in dir. A lock left by a process that no longer exists
// (killed with SIGKILL, machine rebooted) is taken over.
func acquireLock(dir string) (*lock, error) {
	path := filepath.Join(dir, "lock")
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n%s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
			f.Close()
			return &lock{path: path}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		data, _ := os.ReadFile(path)
		fields := strings.Fields(string(data))
		pid := 0
		if len(fields) > 0 {
			pid, _ = strconv.Atoi(fields[0])
		}
		if pid > 0 && pid != os.Getpid() && processAlive(pid) {
			since := ""
			if len(fields) > 1 {
				since = ", started " + fields[1]
			}
			return nil, fmt.Errorf("%w: another framealign run (PID %d%s) is writing to %s; wait for it or stop it", ErrLocked, pid, since, filepath.Dir(dir))
		}
		if len(fields) == 0 {
			// A lock being written right now by another process: give it a moment.
			time.Sleep(50 * time.Millisecond)
			if d, _ := os.ReadFile(path); len(strings.TrimSpace(string(d))) > 0 {
				continue
			}
		}
		// Stale: its owner is gone.
		os.Remove(path)
	}
	return nil, fmt.Errorf("%w: could not take %s", ErrLocked, path)
}

func (l *lock) release() { os.Remove(l.path) }

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
