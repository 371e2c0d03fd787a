// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    portdesk_lib::rendering::choose_for_this_machine();
    portdesk_lib::run();
}
