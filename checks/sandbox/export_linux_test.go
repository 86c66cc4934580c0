package sandbox

// WithoutCgroups makes the package behave, until restore is called, as on
// a machine where cgroups are not writable (an unprivileged grader's):
// memory is then measured by polling.
func WithoutCgroups() (restore func()) {
	CgroupsWritable()
	was := cgroupOK
	cgroupOK = false
	return func() { cgroupOK = was }
}

// HasWarmInit tells whether an init waits in n for the next start.
func (n *Net) HasWarmInit() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.warm != nil
}

// WarmInitSetUp tells whether the init waiting in n has its setup already,
// so that a start takes it as it is.
func (n *Net) WarmInitSetUp() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.warm != nil && n.warm.setup != nil
}

// WithoutStarter makes root's sandboxes start every program through an
// init of its own, as the user-namespace mode does, until restore is
// called.
func WithoutStarter() (restore func()) {
	noStarter.Store(true)
	return func() { noStarter.Store(false) }
}

// StarterPid is the run's starter as the grader numbers it, 0 if there is
// none (yet).
func (s *Sandbox) StarterPid() int {
	s.mu.Lock()
	st := s.starter
	s.mu.Unlock()
	if st == nil || !st.usable() {
		return 0
	}
	return st.ip.cmd.Process.Pid
}
