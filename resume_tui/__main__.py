from resume_tui.cli import main

raise SystemExit(main())
