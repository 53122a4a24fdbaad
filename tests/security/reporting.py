"""The security tests' tallies, printed as one line at the end of the run."""


def print_summary(request, line):
    """Write line to the terminal past pytest's output capture (from a session fixture)."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)
