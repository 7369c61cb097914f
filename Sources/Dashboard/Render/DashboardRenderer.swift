/// Draws the whole dashboard for a state: the one function the terminal driver and the golden
/// frame tests call.
public enum DashboardRenderer {
    public static func render(_ state: DashboardState, theme: Theme) -> CellGrid {
        var p = Painter(grid: CellGrid(width: state.width, height: state.height, fill: Cell(" ", theme.style(.text))),
                        theme: theme, glyphs: state.glyphs)
        let layout = state.layout
        if layout.tooSmall {
            p.tooSmall(width: state.width, height: state.height)
            return p.grid
        }
        p.header(state)
        switch state.screen {
        case .list:
            p.interfacePane(state, layout)
            p.connectionList(state, layout)
        case .detail(let cookie):
            p.detailView(state, cookie: cookie, layout)
        case .events:
            p.eventLog(state, layout)
        case .counters:
            p.countersScreen(state, layout)
        case .diagnosis:
            p.diagnosisScreen(state, layout)
        }
        if let failover = state.failover { p.failoverPanel(failover, layout, interfaceSlots: state.interfaceSlots) }
        if let bar = state.bar, let y = layout.bar { p.statusBar(bar, y: y) }
        p.footer(state, y: layout.footer)
        if let dialog = state.dialog { p.dialog(dialog) }
        if let chooser = state.columnChooser { p.columnChooser(chooser) }
        if state.showHelp { p.helpOverlay(replay: state.playback != nil) }
        return p.grid
    }
}
