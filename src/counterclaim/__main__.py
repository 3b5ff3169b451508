from counterclaim.cli import main

main()
