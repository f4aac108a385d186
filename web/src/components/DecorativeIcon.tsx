// Every Ant Design icon, the ones in Keel's screens and the ones inside Ant Design's own
// components (the clear button of an input, the search button, menus, pagination), is drawn
// through this component instead of @ant-design/icons' AntdIcon (vite.config.ts swaps it in
// for the icons package's `../components/AntdIcon` import). AntdIcon labels each icon
// role="img" with its file name in English ("home", "swap", "close-circle"), which a screen
// reader reads out in the Chinese interface, or adds to the name of the button it is in
// ("plus 新建商机"). In Keel every icon is decorative: an icon-only button carries its own
// aria-label from the i18n files, and an icon beside text adds nothing. So icons are hidden
// from assistive technology, unless a caller gives one a label of its own.
import AntdIcon from '@ant-design/icons/es/components/AntdIcon';
import { forwardRef, type ComponentProps, type ElementRef } from 'react';

type Props = ComponentProps<typeof AntdIcon>;

const DecorativeIcon = forwardRef<ElementRef<typeof AntdIcon>, Props>(function DecorativeIcon(props, ref) {
  const labelled = props['aria-label'] !== undefined || props['aria-labelledby'] !== undefined;
  return labelled ? <AntdIcon {...props} ref={ref} /> : <AntdIcon role={undefined} aria-label={undefined} aria-hidden="true" {...props} ref={ref} />;
});

export default DecorativeIcon;
