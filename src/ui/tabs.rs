//! The tabs, written once: what each is called and where it stands on the
//! tab line. A new tab is its own modules and one entry in [`TABS`].

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Board,
    Flow,
    Sprint,
    Standup,
    Retro,
    Mortems,
    Pulse,
}

/// What the app knows of a tab.
pub struct TabDef {
    pub tab: Tab,
    /// Its name on the tab line.
    pub title: &'static str,
}

/// Every tab, in the order of the tab line: its number (the key that shows
/// it) is its place here, from 1.
pub static TABS: [TabDef; 7] = [
    TabDef {
        tab: Tab::Board,
        title: "Board",
    },
    TabDef {
        tab: Tab::Flow,
        title: "Flow",
    },
    TabDef {
        tab: Tab::Sprint,
        title: "Sprint",
    },
    TabDef {
        tab: Tab::Standup,
        title: "Standup",
    },
    TabDef {
        tab: Tab::Retro,
        title: "Retro",
    },
    TabDef {
        tab: Tab::Mortems,
        title: "Mortems",
    },
    TabDef {
        tab: Tab::Pulse,
        title: "Pulse",
    },
];

// The table is in the order of the enum, so a tab's entry is at its index.
const _: () = {
    let mut i = 0;
    while i < TABS.len() {
        assert!(
            TABS[i].tab as usize == i,
            "TABS is in the order of enum Tab"
        );
        i += 1;
    }
};

impl Tab {
    /// Every tab, in order.
    pub fn all() -> impl Iterator<Item = Tab> {
        TABS.iter().map(|d| d.tab)
    }

    pub fn def(self) -> &'static TabDef {
        &TABS[self.index()]
    }

    /// The tab's number: the key that shows it.
    pub fn number(self) -> usize {
        self.index() + 1
    }

    pub fn title(self) -> &'static str {
        self.def().title
    }

    /// Its place on the tab line, from 0.
    pub fn index(self) -> usize {
        self as usize
    }
}
