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

// lock is the output folder's lock file. It names the run that owns it: its PID, when
// it started, the process's start time as the kernel counts it (so that a PID reused
// by another process after a reboot or a kill is not mistaken for the run), and the
// output folder it writes (so that a lock copied or moved with its folder does not
// hold the copy).
type lock struct{ path string }

// lockHolder is what a lock file says of the run that took it.
type lockHolder struct {
	pid     int
	started string // RFC 3339
	ticks   string // the process's start time in clock ticks since boot (/proc/PID/stat), or ""
	folder  string // the absolute output folder, or "" in a lock of an older framealign
}

// acquireLock takes the lock in dir (OUT/.framealign). A lock whose holder is not a
// framealign run on this folder is taken over: its process is gone (killed with
// SIGKILL, the machine rebooted), or its PID now belongs to another process, or it
// names another folder.
func acquireLock(dir string) (*lock, error) {
	path := filepath.Join(dir, "lock")
	out, _ := filepath.Abs(filepath.Dir(dir))
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n%s\n%s\n%s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339), procStartTicks(os.Getpid()), out)
			f.Close()
			return &lock{path: path}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		data, _ := os.ReadFile(path)
		if len(strings.TrimSpace(string(data))) == 0 {
			// A lock being written right now by another process: give it a moment.
			time.Sleep(50 * time.Millisecond)
			if d, _ := os.ReadFile(path); len(strings.TrimSpace(string(d))) > 0 {
				continue
			}
		}
		h := parseLock(data)
		if h.holds(out) {
			since := ""
			if h.started != "" {
				since = ", started " + h.started
			}
			return nil, fmt.Errorf("%w: another framealign run (PID %d%s) is writing to %s (lock file %s); wait for it or stop it", ErrLocked, h.pid, since, filepath.Dir(dir), path)
		}
		// Stale: its owner is gone, or was never a run on this folder.
		os.Remove(path)
	}
	return nil, fmt.Errorf("%w: could not take the lock file %s", ErrLocked, path)
}

func parseLock(data []byte) lockHolder {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var h lockHolder
	h.pid, _ = strconv.Atoi(strings.TrimSpace(lines[0]))
	field := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	h.started, h.ticks, h.folder = field(1), field(2), field(3)
	return h
}

// holds reports whether the lock's holder is a live framealign run on the output
// folder out.
func (h lockHolder) holds(out string) bool {
	if h.pid <= 0 || h.pid == os.Getpid() || !processAlive(h.pid) {
		return false
	}
	if h.folder != "" && h.folder != out {
		return false // the lock came with a copy of another folder
	}
	if h.ticks != "" {
		if now := procStartTicks(h.pid); now != "" {
			return now == h.ticks // the very process that wrote the lock, or a reused PID
		}
	}
	// A lock of an older framealign, or no /proc: the process must at least be one.
	if name := procName(h.pid); name != "" {
		return strings.Contains(name, "framealign")
	}
	return true
}

func (l *lock) release() { os.Remove(l.path) }

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// procStartTicks is the start time of process pid in clock ticks since boot, from
// /proc/PID/stat (field 22), or "" where there is no /proc.
func procStartTicks(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces and parentheses
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return ""
	}
	return fields[19] // field 22 of the whole line: 3 is the first after the name
}

// procName is the name of process pid's program (its command line's first word and
// the kernel's name for it), or "" where there is no /proc.
func procName(pid int) string {
	var names []string
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil {
		if arg0, _, _ := strings.Cut(string(b), "\x00"); arg0 != "" {
			names = append(names, filepath.Base(arg0))
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil {
		names = append(names, strings.TrimSpace(string(b)))
	}
	return strings.Join(names, " ")
}
